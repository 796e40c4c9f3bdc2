"""The Water Code discussed section by section, by section key."""

from demo.content.script import PERSONAL_DATA, SPAM, say

SECTIONS = {
    "principles": [
        say(
            "youssef", "fr",
            "L'article premier dit que l'eau relève du domaine public. Il faudrait préciser qu'elle est inaliénable et que la distribution d'eau potable ne peut pas être concédée à des entreprises privées.",
            say(
                "sami", "fr",
                "Une concession peut être bien encadrée. Ce qui compte, c'est le contrôle public et des tarifs fixés par l'État, pas la forme juridique du gestionnaire.",
                say(
                    "youssef", "fr",
                    "Le problème, c'est que le contrôle public reste faible. L'écrire dans la loi est plus sûr que de compter sur les cahiers des charges.",
                    agree=3,
                ),
                agree=2, disagree=3,
            ),
            agree=5, disagree=2,
        ),
        say(
            "amira", "ar",
            "أقترح أن يُذكر في المبادئ العامة أن الماء حق للأجيال القادمة أيضا، وأن الاستغلال المفرط للمائدة المائية الجوفية اعتداء على هذا الحق.",
            say(
                "khaoula", "ar",
                "كلام صحيح. في الجنوب نسحب اليوم ماء أحفوريا لن يعود أبدا.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "karim", "en",
            "The principles should include public participation: any major decision on water allocation (new dams, transfers between regions) should go through a public consultation like this one.",
            say(
                "abderrazek", "ar",
                "نعم، وخاصة مشاريع تحويل المياه من الشمال إلى الساحل. لم يسألنا أحد يوما.",
                agree=5,
            ),
            agree=5,
        ),
    ],
    "priorities": [
        say(
            "mohamed.hedi", "ar",
            "ترتيب الأولويات في الصيغة الثانية أفضل: الماء الصالح للشرب ثم الفلاحة المعيشية. لكن ما تعريف الفلاحة المعيشية؟ عندي خمسة هكتارات زيتون وخضر، وأبيع جزءا من المحصول في السوق الأسبوعية. هل أنا فلاحة معيشية أم فلاحة تجارية؟",
            say(
                "leila", "fr",
                "Bonne question. Il faudrait un critère simple dans le texte : la superficie (moins de 10 ha par exemple) ou le statut d'exploitation familiale. Sinon ce sera au cas par cas, donc arbitraire.",
                say(
                    "mohamed.hedi", "ar",
                    "عشرة هكتارات معيار معقول في البعلي، أما في المناطق السقوية فالهكتار الواحد يكفي عائلة. يجب أن يراعي النص الفرق.",
                    agree=4,
                ),
                agree=5,
            ),
            say(
                "ines", "en",
                "The export-farming category matters too: tomatoes and watermelons grown for export are, in effect, exported water. The code could tie irrigation quotas for export crops to the drought level.",
                agree=4, disagree=1,
            ),
            agree=7,
        ),
        say(
            "sami", "fr",
            "Où est le tourisme dans ces priorités ? Les hôtels consomment beaucoup, mais le secteur fait vivre des milliers de familles sur le littoral. Le texte le range implicitement dans l'« industrie » : il faut le dire clairement.",
            say(
                "hela", "ar",
                "الفنادق فيها مسابح وملاعب غولف، ونحن في قابس ينقطع عنا الماء أياما. الأولوية للناس قبل السياح.",
                say(
                    "sami", "fr",
                    "Je ne dis pas le contraire pour l'eau potable. Mais le texte doit dire comment on arbitre entre l'agriculture d'exportation et l'hôtellerie, c'est tout.",
                    agree=2, disagree=1,
                ),
                agree=7, disagree=1,
            ),
            agree=2, disagree=5,
        ),
        say(
            "khaoula", "ar",
            "في الواحات، الماء هو الحياة نفسها. الآبار العميقة الجديدة للضيعات الكبرى تجفف العيون القديمة. نطلب أن تُحمى واحات نفزاوة والجريد بفقرة خاصة في باب الأولويات.",
            say(
                "ines", "en",
                "Same story in Tozeur, where the old springs dried up decades ago. Protecting traditional oases as heritage, with a cap on new deep wells around them, belongs in this section.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "meriem", "ar",
            "أقترح إضافة فقرة صريحة: لا يجوز قطع الماء الصالح للشرب عن عائلة عاجزة عن الدفع دون حل بديل (تقسيط، تعريفة اجتماعية).",
            say(
                "youssef", "fr",
                "Excellente proposition. Plusieurs pays interdisent déjà les coupures pour impayés dans les résidences principales ; on peut s'en inspirer.",
                say(
                    "riadh", "ar",
                    "ولكن يجب أيضا أن يدفع من يستطيع الدفع. عديد الإدارات والمؤسسات العمومية نفسها لا تخلّص فواتيرها.",
                    agree=5,
                ),
                agree=4,
            ),
            agree=9,
        ),
        say(
            "mehdi", "fr",
            "L'industrie arrive en dernier, mais certaines usines pourraient utiliser de l'eau traitée ou de l'eau de mer. Le texte devrait distinguer eaux conventionnelles et non conventionnelles dans l'ordre des priorités.",
            agree=3,
        ),
    ],
    "drought": [
        say(
            "leila", "fr",
            "L'article sur la sécheresse donne tout le pouvoir au ministre, sans critère. Je propose des seuils objectifs publiés à l'avance (remplissage des barrages, pluviométrie sur douze mois) et des restrictions graduées par niveau.",
            say(
                "abderrazek", "ar",
                "موافق. في صيف 2023 قُطع الماء ليلا دون إعلام مسبق ولم نعرف المعيار. الشفافية في القرار تجعل الناس يتقبلون القيود.",
                say(
                    "leila", "fr",
                    "Exactement. Et un calendrier des coupures publié au moins 48 heures à l'avance, délégation par délégation.",
                    agree=6,
                ),
                agree=5,
            ),
            say(
                "karim", "en",
                "Graduated drought levels work elsewhere: several Mediterranean countries publish basin-by-basin drought plans with clear triggers. Worth citing them in the explanatory note.",
                agree=3,
            ),
            agree=8,
        ),
        say(
            "fatma", "ar",
            "في فترات الجفاف يُمنع الري، لكن الأشجار المثمرة تموت إذا لم تُسق. يجب أن يسمح النص بحد أدنى من الري لإنقاذ الأشجار، وإلا ضاع عمل سنوات.",
            say(
                "mohamed.hedi", "ar",
                "صحيح، في 2023 فقدنا أشجار زيتون عمرها عشرون سنة. ري الإنقاذ يجب أن يكون مستثنى بشروط.",
                agree=5,
            ),
            say(
                "hela", "ar",
                "وماذا عن تعويض الفلاحين المتضررين من قرارات المنع؟ المشروع لا يذكر صندوق الجوائح الطبيعية.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "aquapure", "ar",
            "الجفاف قادم! احموا عائلاتكم بفلاتر الماء المنزلية Aqua Pure: تركيب مجاني وضمان خمس سنوات، وتخفيض 30% هذا الأسبوع فقط. اطلبوا الآن عبر www.aquapure-promo.example",
            disagree=3,
            role=SPAM,
        ),
        say(
            "noureddine", "ar",
            "أثناء الجفاف، المجامع المائية هي أول من يواجه غضب الناس. نحتاج أن تُعلمنا المندوبية الجهوية بقرارات التقليص مسبقا وكتابيا، حتى ننظم التوزيع بالتداول بين الأحياء.",
            say(
                "salma", "ar",
                "وأن تُنشر قرارات التقليص على هذه المنصة أيضا، بالعربية وبلغة بسيطة.",
                agree=4,
            ),
            agree=4,
        ),
    ],
    "groups": [
        say(
            "noureddine", "ar",
            "المجامع المائية تعاني من ثلاث مشاكل:\n"
            "1. ديون الكهرباء لدى الستاغ بسبب ضخ الآبار\n"
            "2. غياب التكوين للمسيّرين المتطوعين\n"
            "3. ضعف استخلاص الاشتراكات\n\n"
            "المشروع يحمّلنا مسؤولية التصرف لكنه لا يعطينا الوسائل.",
            say(
                "amira", "ar",
                "في دوارنا، المجمع المائي لم يعقد جلسته العامة منذ أربع سنوات. يجب فرض الشفافية في الحسابات أيضا.",
                say(
                    "noureddine", "ar",
                    "موافق تماما: جلسة عامة سنوية إلزامية، وتُعلّق محاضرها وحساباتها في مقر العمادة.",
                    agree=5,
                ),
                agree=5,
            ),
            say(
                "youssef", "fr",
                "Pourquoi ne pas prévoir un tarif d'électricité spécifique pour le pompage des GDA d'eau potable ? C'est un service public, pas une activité commerciale.",
                agree=6,
            ),
            agree=7,
        ),
        say(
            "riadh", "ar",
            "رئيس المجمع المائي عندنا، السيد فرج الساسي، رقم هاتفه 98 123 456 ويسكن قرب الجامع الكبير، يقطع الماء على كل من لم يصوّت له. اتصلوا به واسألوه أين ذهبت أموال الاشتراكات!",
            say(
                "meriem", "ar",
                "من فضلك لا تنشر الأسماء وأرقام الهواتف هنا. إذا كان هناك تلاعب، يمكن التبليغ لدى المندوبية الجهوية للفلاحة أو هيئة مكافحة الفساد.",
                agree=6,
            ),
            role=PERSONAL_DATA,
        ),
        say(
            "leila", "fr",
            "Les GDA devraient pouvoir se regrouper en fédérations régionales pour partager des techniciens et négocier avec la STEG. Le projet n'en dit rien.",
            say(
                "ines", "en",
                "Agreed. Water user associations federate at basin level in several neighbouring countries; a similar clause would help small GDAs survive.",
                agree=3,
            ),
            agree=4,
        ),
        say(
            "hela", "ar",
            "يجب أن تكون للنساء مكانة في هيئات المجامع المائية. النساء هن من يجلبن الماء في الأرياف، ولا نجدهن في مجالس الإدارة.",
            say(
                "khaoula", "ar",
                "أؤيد. في واحتنا امرأة واحدة فقط في هيئة المجمع.",
                agree=5,
            ),
            agree=8, disagree=1,
        ),
    ],
    "reuse": [
        say(
            "ines", "en",
            "Reusing treated wastewater makes sense, but most treatment plants only do secondary treatment. The code should require tertiary treatment before any use on vegetables eaten raw, and publish the quality tests.",
            say(
                "mehdi", "fr",
                "Et que les analyses soient publiques, station par station. Aujourd'hui les agriculteurs n'ont aucune confiance dans cette eau, et ils ont raison.",
                say(
                    "mohamed.hedi", "ar",
                    "فلاحون نعرفهم جربوا المياه المعالجة ثم تركوها بسبب الرائحة وتضرر التربة. بدون مراقبة حقيقية ونتائج منشورة لن يقبلها أحد.",
                    agree=4,
                ),
                agree=5,
            ),
            agree=5,
        ),
        say(
            "hela", "ar",
            "في قابس، مياه الصرف الصحي والصناعي تلوث البحر والواحة. قبل إعادة الاستعمال نريد شبكة تطهير تصل إلى كل الأحياء. التطهير يجب أن يكون حقا مثل الماء الصالح للشرب.",
            say(
                "salma", "ar",
                "نفس الأمر في صفاقس: أحياء كاملة غير مرتبطة بشبكة التطهير. أقترح إضافة باب كامل عن التطهير في المجلة.",
                agree=6,
            ),
            agree=7,
        ),
        say(
            "sami", "fr",
            "Les golfs et les espaces verts des hôtels devraient être obligés d'utiliser de l'eau traitée, comme c'est déjà en partie le cas à Hammamet. Cela libère de l'eau potable.",
            say(
                "hela", "ar",
                "هذا اقتراح جيد، على الأقل فيه شيء من العدل.",
                agree=3,
            ),
            agree=6,
        ),
    ],
}
