"""The Water Code discussed as a whole: the thread under the consultation itself."""

from demo.content.script import NEWCOMER, OFFICIAL, REPORTED, say

WHOLE = [
    say(
        "amira", "ar",
        "نسكن في ريف الكاف، وفي كل صيف ينقطع الماء عن دوّارنا أسابيع كاملة.\n"
        "الحق في الماء مكتوب في الفصل الأول، لكن ما الذي يضمنه فعلا؟ أقترح أن تحدد المجلة:\n"
        "- حدا أدنى من اللترات لكل شخص في اليوم\n"
        "- أجلا أقصى لإعادة التزويد بعد كل انقطاع\n"
        "- جهة واحدة يمكن التشكي لديها",
        say(
            "mohamed.hedi", "ar",
            "نفس الشيء عندنا في حاجب العيون. الصهاريج التي ترسلها المعتمدية تأتي مرة في الأسبوع ولا تكفي. الحد الأدنى فكرة جيدة، لكن من سيحاسب الإدارة إذا لم تحترمه؟",
            say(
                "youssef", "fr",
                "On pourrait partir des repères de l'OMS : 50 litres par personne et par jour comme seuil, et un recours devant le tribunal administratif quand ni la SONEDE ni le GDA ne l'assurent.",
                agree=4,
            ),
            say(
                "amira", "ar",
                "خمسون لترا حلم بالنسبة لنا الآن، لكن نعم: المهم أن يكون هناك رقم مكتوب في القانون وجهة نتشكى لديها.",
                agree=3,
            ),
            agree=5,
        ),
        say(
            "approver.agriculture-water", "ar",
            "شكرا على هذه المقترحات. تعمل الوزارة على ضبط حد أدنى من الماء الصالح للشرب لكل شخص في النصوص التطبيقية للمجلة، وسيُعرض مشروع الأمر الترتيبي بدوره على التشاور في هذه المنصة.\n\n"
            "كما سيتضمن الفصل المتعلق بالمناطق الريفية برنامجا خاصا بالتجمعات غير المرتبطة بشبكة الشركة الوطنية لاستغلال وتوزيع المياه. نرحّب بمقترحاتكم حول الأجل الأقصى لإعادة التزويد.",
            say(
                "salma", "ar",
                "شكرا على الرد. نرجو أن يكون للمجامع المائية دور في هذا البرنامج، لا الصوناد وحدها.",
                agree=4,
            ),
            agree=6,
            role=OFFICIAL,
        ),
        agree=8,
    ),
    say(
        "youssef", "fr",
        "Le projet parle beaucoup du droit à l'eau mais très peu de la tarification. Aujourd'hui la SONEDE facture par tranches et par compteur : une famille nombreuse dans un immeuble paie le mètre cube plus cher qu'un ménage seul avec piscine. Le Code devrait poser le principe d'une tarification sociale par personne.",
        say(
            "leila", "fr",
            "Tout à fait d'accord. Et il faut parler des pertes : près d'un tiers de l'eau produite se perd dans les réseaux. Avant d'augmenter les tarifs, qu'on répare les fuites.",
            say(
                "sami", "fr",
                "Les deux vont ensemble : sans recettes, la SONEDE ne peut pas rénover ses réseaux. Une tarification sociale pour les premières tranches, oui, mais un vrai prix pour les gros consommateurs.",
                agree=3, disagree=1,
            ),
            agree=6,
        ),
        say(
            "hela", "ar",
            "التسعيرة حسب عدد أفراد العائلة عادلة، لكن كيف ستعرف الصوناد عدد الأفراد؟ لا نريد ملفات إدارية إضافية في كل سنة.",
            agree=3,
        ),
        agree=7, disagree=1,
    ),
    say(
        "karim", "en",
        "Reading the English version: it is not clear who is responsible when a rural GDA network breaks down. The ministry, the regional agricultural office (CRDA) or the association itself? The code should name one body that citizens can turn to.",
        say(
            "noureddine", "ar",
            "أنا عضو في هيئة مجمع مائي في سبيطلة. عمليا نحن من يصلح الأعطاب من اشتراكات الناس، والمندوبية الجهوية للفلاحة لا تتدخل إلا في الأعطاب الكبرى وبعد أشهر. يجب أن تحدد المجلة هذا بوضوح.",
            say(
                "karim", "en",
                "Thank you, that is exactly the kind of detail the draft misses. Perhaps a deadline for the CRDA to act once a GDA reports a major failure?",
                agree=4,
            ),
            agree=6,
        ),
        agree=5,
    ),
    say(
        "riadh", "ar",
        "كل هذا كلام على الورق. منذ سنوات ونحن نسمع الوعود، والمسؤولون في الوزارة لا يعرفون حتى أين تقع قرانا. أعطونا الماء قبل أن تعطونا المجلات، أو استقيلوا جميعا.",
        say(
            "meriem", "ar",
            "أفهم غضبك، وعندنا في باجة نفس المعاناة. لكن المجلة فرصة لنكتب حقوقنا في نص ملزم. الأفضل أن نقترح تعديلات محددة على الفصول.",
            agree=5,
        ),
        agree=4, disagree=3,
        role=REPORTED,
    ),
    say(
        "ines", "en",
        "Has the ministry published the data behind the draft? Aquifer levels, dam reserves by region, the volumes allocated to agriculture and to drinking water. It is hard to comment on priorities without numbers. A public water data portal could be written into the code.",
        say(
            "mehdi", "fr",
            "+1. Certaines données existent (rapports annuels, bulletins des barrages) mais elles sont dispersées, souvent en PDF scannés. Un article sur l'ouverture des données de l'eau serait bienvenu.",
            agree=4,
        ),
        agree=6,
    ),
    say(
        "fatma", "ar",
        "في سيدي بوزيد نرى الآبار العشوائية تتكاثر كل سنة، والمائدة المائية تنخفض أمتارا. يجب أن تتحدث المجلة بوضوح عن مراقبة الآبار غير المرخصة، وإلا فلن يبقى ماء لا للشرب ولا للفلاحة.",
        say(
            "mohamed.hedi", "ar",
            "لكن الفلاح الصغير لم يحفر البئر إلا لأن الترخيص يأخذ سنوات. سهّلوا الترخيص أولا ثم راقبوا.",
            say(
                "fatma", "ar",
                "معك حق في مسألة الآجال. أقترح أجلا أقصى بثلاثة أشهر للرد على مطلب الترخيص، مع نشر عدد المطالب المودعة والمقبولة في كل ولاية.",
                agree=5,
            ),
            agree=4, disagree=1,
        ),
        agree=5, disagree=1,
    ),
    say(
        "abderrazek", "ar",
        "جندوبة فيها أكبر السدود في البلاد، ومع ذلك عديد العمادات بلا ماء صالح للشرب، ونشتري الماء في القوارير. نطالب بأن تنص المجلة على أولوية ربط الجهات التي يُنقل منها الماء.",
        say(
            "sami", "fr",
            "Je comprends, mais l'eau reste un bien public national : on ne peut pas la réserver à la région où se trouve le barrage. Des investissements prioritaires pour ces régions, en revanche, oui.",
            say(
                "abderrazek", "ar",
                "لا أطلب احتكار الماء، أطلب العدل: لا يُعقل أن تمر القنوات في أراضينا ونحن بلا ربط.",
                agree=7,
            ),
            agree=2, disagree=3,
        ),
        agree=8, disagree=2,
    ),
    say(
        "salma", "ar",
        "اقتراح عملي: أن تُنشر كل سنة قائمة انقطاعات الماء حسب المعتمدية ومدتها، حتى نعرف أين المشكل الحقيقي وأين تُصرف الاستثمارات.",
        agree=4,
    ),
    say(
        "zeineb", "ar",
        "في مدنين نعتمد على الماء المحلّى. هل تشمل المجلة حق المستهلك في جودة هذا الماء؟ الطعم والملوحة يتغيران كثيرا في الصيف، ولا أحد يعلمنا بنتائج التحاليل.",
        role=NEWCOMER,
    ),
]
