"""The demo consultations: the Water Code (open, two versions), the green spaces plan
(upcoming) and the requests charter (closed, with its outcome).

Each draft is a list of sections (key, heading, body html, sub-paragraph htmls); the key
names a section in every language and version. ``opens`` and ``closes`` are days from now.
"""

WATER_CODE = {
    "slug": "water-code",
    "institution": "agriculture-water",
    "opens": -10,
    "closes": 20,
    "moderation_mode": "post",
    "topics": {"ar": ["الماء", "التشريع"], "fr": ["eau", "législation"], "en": ["water", "legislation"]},
    "ar": {
        "title": "مشروع مجلة المياه",
        "summary": "تعرض الوزارة مشروع مجلة المياه الجديدة للتشاور: الحق في الماء، وأولويات الاستعمال، وحماية الموارد.",
        "context": "<p>تعود مجلة المياه الحالية إلى سنة 1975. يقترح المشروع تكريس الحق في الماء وتنظيم الاستعمالات في فترات الجفاف.</p>",
        "questions": ["هل أولويات الاستعمال المقترحة عادلة؟", "كيف يمكن إشراك المجامع المائية في التصرف؟"],
        "v1": [
            ("principles", "المبادئ العامة", "<p>الماء ملك عمومي، والحق في الماء مضمون لكل مواطن.</p>", []),
            ("priorities", "أولويات الاستعمال", "<p>يُعطى الماء الصالح للشرب الأولوية على كل الاستعمالات الأخرى.</p>", ["<p>تليه الفلاحة ثم الصناعة.</p>"]),
            ("drought", "فترات الجفاف", "<p>يعلن الوزير حالة الجفاف ويضبط قيود الاستعمال.</p>", []),
            ("groups", "المجامع المائية", "<p>تتصرف المجامع المائية في شبكات الري والشرب الريفية.</p>", []),
        ],
        "v2": {
            "priorities": ("أولويات الاستعمال", "<p>يُعطى الماء الصالح للشرب الأولوية المطلقة على كل الاستعمالات الأخرى، بما في ذلك في فترات الجفاف.</p>", ["<p>تليه الفلاحة المعيشية ثم الفلاحة التصديرية ثم الصناعة.</p>"]),
            "reuse": ("إعادة استعمال المياه المعالجة", "<p>تشجّع الدولة إعادة استعمال المياه المعالجة في الري وتضبط شروط سلامتها.</p>", []),
        },
        "change_note": "الصيغة 2: توضيح أولوية الماء الصالح للشرب وإضافة فصل حول إعادة استعمال المياه المعالجة.",
    },
    "fr": {
        "title": "Projet de Code des eaux",
        "summary": "Le ministère soumet à consultation le projet de nouveau Code des eaux : droit à l'eau, priorités d'usage et protection des ressources.",
        "context": "<p>Le Code des eaux en vigueur date de 1975. Le projet consacre le droit à l'eau et organise les usages en période de sécheresse.</p>",
        "questions": ["Les priorités d'usage proposées sont-elles justes ?", "Comment associer les groupements hydrauliques à la gestion ?"],
        "v1": [
            ("principles", "Principes généraux", "<p>L'eau fait partie du domaine public ; le droit à l'eau est garanti à chaque citoyen.</p>", []),
            ("priorities", "Priorités d'usage", "<p>L'eau potable a la priorité sur tous les autres usages.</p>", ["<p>Viennent ensuite l'agriculture puis l'industrie.</p>"]),
            ("drought", "Périodes de sécheresse", "<p>Le ministre déclare l'état de sécheresse et fixe les restrictions d'usage.</p>", []),
            ("groups", "Groupements hydrauliques", "<p>Les groupements hydrauliques gèrent les réseaux ruraux d'irrigation et d'eau potable.</p>", []),
        ],
        "v2": {
            "priorities": ("Priorités d'usage", "<p>L'eau potable a la priorité absolue sur tous les autres usages, y compris en période de sécheresse.</p>", ["<p>Viennent ensuite l'agriculture vivrière, puis l'agriculture d'exportation, puis l'industrie.</p>"]),
            "reuse": ("Réutilisation des eaux traitées", "<p>L'État encourage la réutilisation des eaux traitées pour l'irrigation et en fixe les conditions sanitaires.</p>", []),
        },
        "change_note": "Version 2 : priorité de l'eau potable précisée, nouvelle section sur la réutilisation des eaux traitées.",
    },
    "en": {
        "title": "Draft Water Code",
        "summary": "The ministry puts the draft new Water Code to consultation: the right to water, priorities of use and protection of resources.",
        "context": "<p>The Water Code in force dates from 1975. The draft enshrines the right to water and organises uses in times of drought.</p>",
        "questions": ["Are the proposed priorities of use fair?", "How should local water associations take part in management?"],
        "v1": [
            ("principles", "General principles", "<p>Water is public property; every citizen's right to water is guaranteed.</p>", []),
            ("priorities", "Priorities of use", "<p>Drinking water has priority over every other use.</p>", ["<p>Agriculture comes next, then industry.</p>"]),
            ("drought", "Droughts", "<p>The minister declares a state of drought and sets restrictions of use.</p>", []),
            ("groups", "Local water associations", "<p>Local water associations run rural irrigation and drinking-water networks.</p>", []),
        ],
        "v2": {
            "priorities": ("Priorities of use", "<p>Drinking water has absolute priority over every other use, droughts included.</p>", ["<p>Subsistence farming comes next, then export farming, then industry.</p>"]),
            "reuse": ("Reuse of treated water", "<p>The State encourages the reuse of treated water for irrigation and sets its health conditions.</p>", []),
        },
        "change_note": "Version 2: drinking-water priority made explicit; new section on reusing treated water.",
    },
}

GREEN_SPACES = {
    "slug": "green-spaces-2027",
    "institution": "el-kef",
    "opens": 7,
    "closes": 37,
    "moderation_mode": "pre",
    "topics": {"ar": ["البيئة", "التهيئة العمرانية"], "fr": ["environnement", "urbanisme"], "en": ["environment", "urban planning"]},
    "ar": {
        "title": "مخطط المساحات الخضراء 2027",
        "summary": "تقترح البلدية مخططا لتهيئة الحدائق العمومية وغراسة الأشجار في الأحياء.",
        "context": "<p>سيُفتح التشاور قريبا. اطلع على المشروع واستعد لإبداء رأيك.</p>",
        "questions": ["ما الحي الذي يحتاج حديقة قبل غيره؟"],
        "v1": [
            ("parks", "الحدائق العمومية", "<p>تهيئة ثلاث حدائق في أحياء الدير والقصبة والنور.</p>", []),
            ("trees", "غراسة الأشجار", "<p>غراسة ألفي شجرة على امتداد الطرقات الرئيسية.</p>", []),
        ],
    },
    "fr": {
        "title": "Plan des espaces verts 2027",
        "summary": "La municipalité propose un plan d'aménagement des jardins publics et de plantation d'arbres dans les quartiers.",
        "context": "<p>La consultation ouvrira bientôt. Découvrez le projet et préparez votre avis.</p>",
        "questions": ["Quel quartier a le plus besoin d'un jardin ?"],
        "v1": [
            ("parks", "Jardins publics", "<p>Aménagement de trois jardins dans les quartiers Eddir, Kasbah et Ennour.</p>", []),
            ("trees", "Plantation d'arbres", "<p>Plantation de deux mille arbres le long des grands axes.</p>", []),
        ],
    },
    "en": {
        "title": "Green spaces plan 2027",
        "summary": "The municipality proposes a plan to lay out public gardens and plant trees in the neighbourhoods.",
        "context": "<p>The consultation opens soon. Read the plan and prepare your views.</p>",
        "questions": ["Which neighbourhood needs a garden most?"],
        "v1": [
            ("parks", "Public gardens", "<p>Three gardens laid out in the Eddir, Kasbah and Ennour neighbourhoods.</p>", []),
            ("trees", "Tree planting", "<p>Two thousand trees planted along the main roads.</p>", []),
        ],
    },
}

REQUESTS_CHARTER = {
    "slug": "requests-charter",
    "institution": "bcrc",
    "opens": -60,
    "closes": -15,
    "moderation_mode": "post",
    "topics": {"ar": ["الإدارة", "الشفافية"], "fr": ["administration", "transparence"], "en": ["administration", "transparency"]},
    "ar": {
        "title": "ميثاق استقبال مطالب المواطنين",
        "summary": "التزامات الإدارة في استقبال العرائض والشكايات والرد عليها.",
        "context": "<p>أُغلق التشاور. نُشرت نتائجه: ما سمعناه من المشاركين، وما قررته الإدارة.</p>",
        "questions": ["ما الأجل المعقول للرد على شكاية؟"],
        "v1": [
            ("reception", "الاستقبال", "<p>يُسلَّم كل مواطن وصلا برقم متابعة عند إيداع مطلبه.</p>", []),
            ("deadlines", "آجال الرد", "<p>تلتزم الإدارة بالرد في أجل أقصاه ثلاثون يوما.</p>", []),
            ("appeal", "التظلم", "<p>يمكن للمواطن التظلم لدى المكتب المركزي إذا لم يتلق ردا.</p>", []),
        ],
    },
    "fr": {
        "title": "Charte d'accueil des requêtes citoyennes",
        "summary": "Les engagements de l'administration pour recevoir les requêtes et plaintes et y répondre.",
        "context": "<p>La consultation est close. Ses résultats sont publiés : ce que nous avons entendu, et ce que l'administration a décidé.</p>",
        "questions": ["Quel délai de réponse à une plainte est raisonnable ?"],
        "v1": [
            ("reception", "Accueil", "<p>Chaque citoyen reçoit un récépissé avec un numéro de suivi au dépôt de sa requête.</p>", []),
            ("deadlines", "Délais de réponse", "<p>L'administration s'engage à répondre dans un délai de trente jours au plus.</p>", []),
            ("appeal", "Recours", "<p>Le citoyen peut saisir le Bureau central s'il ne reçoit pas de réponse.</p>", []),
        ],
    },
    "en": {
        "title": "Charter for receiving citizens' requests",
        "summary": "The administration's commitments on receiving petitions and complaints and answering them.",
        "context": "<p>The consultation has closed. Its outcome is published: what we heard, and what the administration decided.</p>",
        "questions": ["What is a reasonable time to answer a complaint?"],
        "v1": [
            ("reception", "Reception", "<p>Every citizen receives a receipt with a tracking number when filing a request.</p>", []),
            ("deadlines", "Response times", "<p>The administration commits to answering within thirty days at most.</p>", []),
            ("appeal", "Appeal", "<p>Citizens may refer to the Central Office if they receive no answer.</p>", []),
        ],
    },
}

CONSULTATIONS = [WATER_CODE, GREEN_SPACES, REQUESTS_CHARTER]
