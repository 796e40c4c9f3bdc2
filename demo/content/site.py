"""The demo site's pages: home, about, the three institutions and their policy pages.

Each entry holds one text per language; Arabic is the source page and French and English
are its translations. StreamField bodies are (block type, value) pairs.
"""

import datetime

HOME = {
    "ar": {
        "title": "مجلس: التشاور العمومي",
        "intro": "اقرأ مشاريع النصوص التي تعدّها الوزارات والبلديات، وناقشها، وتابع ما يصير إليه رأيك في القرارات.",
    },
    "fr": {
        "title": "Majlis : consultation publique",
        "intro": "Lisez les projets de textes préparés par les ministères et les municipalités, discutez-en et suivez ce que devient votre avis dans les décisions.",
    },
    "en": {
        "title": "Majlis: public consultation",
        "intro": "Read the draft texts that ministries and municipalities prepare, discuss them, and follow what becomes of your views in the decisions.",
    },
}

ABOUT = {
    "slug": "about",
    "ar": {
        "title": "عن المنصة",
        "body": [
            ("heading", {"text": "ما هو مجلس؟", "level": "h2"}),
            ("paragraph", "<p>مجلس منصة مفتوحة المصدر للتشاور العمومي والحوار بين المؤسسات العمومية والمواطنين.</p>"),
            ("paragraph", "<p>كل مساهمة منشورة تبقى مرئية، وكل قرار يبيّن المساهمات التي استند إليها.</p>"),
        ],
    },
    "fr": {
        "title": "À propos",
        "body": [
            ("heading", {"text": "Qu'est-ce que Majlis ?", "level": "h2"}),
            ("paragraph", "<p>Majlis est une plateforme libre de consultation publique et de délibération entre les institutions publiques et les citoyens.</p>"),
            ("paragraph", "<p>Chaque contribution publiée reste visible, et chaque décision indique les contributions sur lesquelles elle s'appuie.</p>"),
        ],
    },
    "en": {
        "title": "About",
        "body": [
            ("heading", {"text": "What is Majlis?", "level": "h2"}),
            ("paragraph", "<p>Majlis is an open-source platform for public consultation and deliberation between public institutions and citizens.</p>"),
            ("paragraph", "<p>Every published contribution stays visible, and every decision shows the contributions it rests on.</p>"),
        ],
    },
}

INSTITUTIONS = [
    {
        "slug": "bcrc",
        "kind": "agency",
        "contact_email": "bcrc@majlis.test",
        "phone": "+216 71 000 100",
        "website": "https://www.example.tn/bcrc",
        "ar": {
            "title": "المكتب المركزي للعلاقات مع المواطن",
            "search_description": "يتلقى عرائض المواطنين وشكاياتهم ومقترحاتهم ويتابع معالجتها لدى الإدارات.",
            "description": "<p>يتبع المكتب رئاسة الحكومة، ويتلقى العرائض والشكايات والمقترحات، ويتابع معالجتها لدى الإدارات المعنية.</p>",
            "address": "قصر الحكومة، القصبة، تونس",
        },
        "fr": {
            "title": "Bureau central des relations avec le citoyen",
            "search_description": "Reçoit les requêtes, plaintes et suggestions des citoyens et suit leur traitement par les administrations.",
            "description": "<p>Rattaché à la Présidence du gouvernement, le Bureau reçoit les requêtes, plaintes et suggestions et en suit le traitement par les administrations concernées.</p>",
            "address": "Palais du gouvernement, La Kasbah, Tunis",
        },
        "en": {
            "title": "Central Office of Relations with the Citizen",
            "search_description": "Receives citizens' petitions, complaints and suggestions and follows how administrations handle them.",
            "description": "<p>Attached to the Presidency of the Government, the Office receives petitions, complaints and suggestions and follows their handling by the administrations concerned.</p>",
            "address": "Government Palace, La Kasbah, Tunis",
        },
        "policies": [
            {
                "slug": "citizen-requests",
                "published_on": datetime.date(2026, 3, 12),
                "topics": {"ar": ["الإدارة", "الشفافية"], "fr": ["administration", "transparence"], "en": ["administration", "transparency"]},
                "ar": {
                    "title": "معالجة مطالب المواطنين",
                    "summary": "كيف تُسجَّل العرائض والشكايات، وما الآجال التي تلتزم بها الإدارة للرد.",
                    "body": [
                        ("heading", {"text": "رقم متابعة لكل مطلب", "level": "h2"}),
                        ("paragraph", "<p>يحصل كل مطلب على رقم متابعة يمكّن المواطن من معرفة المرحلة التي بلغها.</p>"),
                        ("quote", {"text": "الإدارة في خدمة المواطن.", "attribution": "الدستور"}),
                    ],
                },
                "fr": {
                    "title": "Traitement des requêtes citoyennes",
                    "summary": "Comment les requêtes et plaintes sont enregistrées, et les délais de réponse auxquels l'administration s'engage.",
                    "body": [
                        ("heading", {"text": "Un numéro de suivi pour chaque requête", "level": "h2"}),
                        ("paragraph", "<p>Chaque requête reçoit un numéro de suivi qui permet au citoyen de connaître l'étape qu'elle a atteinte.</p>"),
                        ("quote", {"text": "L'administration est au service du citoyen.", "attribution": "La Constitution"}),
                    ],
                },
                "en": {
                    "title": "Handling citizens' requests",
                    "summary": "How petitions and complaints are recorded, and the response times the administration commits to.",
                    "body": [
                        ("heading", {"text": "A tracking number for every request", "level": "h2"}),
                        ("paragraph", "<p>Every request receives a tracking number so the citizen can see which stage it has reached.</p>"),
                        ("quote", {"text": "The administration is at the service of the citizen.", "attribution": "The Constitution"}),
                    ],
                },
            },
        ],
    },
    {
        "slug": "agriculture-water",
        "kind": "ministry",
        "contact_email": "contact.agriculture@majlis.test",
        "phone": "+216 71 000 200",
        "website": "https://www.example.tn/agriculture",
        "ar": {
            "title": "وزارة الفلاحة والموارد المائية والصيد البحري",
            "search_description": "تضبط سياسة الدولة في الفلاحة والماء والصيد البحري.",
            "description": "<p>تضبط الوزارة سياسة الدولة في مجالات الفلاحة والموارد المائية والصيد البحري وتتابع تنفيذها.</p>",
            "address": "30 نهج آلان سافاري، تونس",
        },
        "fr": {
            "title": "Ministère de l'Agriculture, des Ressources hydrauliques et de la Pêche",
            "search_description": "Définit la politique de l'État en matière d'agriculture, d'eau et de pêche.",
            "description": "<p>Le ministère définit la politique de l'État en matière d'agriculture, de ressources hydrauliques et de pêche, et en suit la mise en œuvre.</p>",
            "address": "30, rue Alain Savary, Tunis",
        },
        "en": {
            "title": "Ministry of Agriculture, Water Resources and Fisheries",
            "search_description": "Sets the State's policy on agriculture, water and fisheries.",
            "description": "<p>The ministry sets the State's policy on agriculture, water resources and fisheries, and follows its implementation.</p>",
            "address": "30 Alain Savary Street, Tunis",
        },
        "policies": [
            {
                "slug": "water-2050",
                "published_on": datetime.date(2026, 6, 5),
                "topics": {"ar": ["الماء", "المناخ"], "fr": ["eau", "climat"], "en": ["water", "climate"]},
                "ar": {
                    "title": "استراتيجية الماء 2050",
                    "summary": "رؤية لتأمين الماء الصالح للشرب والري في ظل تغيّر المناخ وتراجع التساقطات.",
                    "body": [
                        ("heading", {"text": "لماذا استراتيجية جديدة؟", "level": "h2"}),
                        ("paragraph", "<p>تراجعت مخزونات السدود في السنوات الأخيرة، وأصبح ترشيد استهلاك المياه ضرورة لكل الجهات.</p>"),
                        ("heading", {"text": "المحاور الكبرى", "level": "h2"}),
                        ("paragraph", "<ul><li>تقليص ضياع المياه في الشبكات</li><li>إعادة استعمال المياه المعالجة في الري</li><li>تحلية مياه البحر في الجنوب</li></ul>"),
                    ],
                },
                "fr": {
                    "title": "Stratégie Eau 2050",
                    "summary": "Une vision pour garantir l'eau potable et l'irrigation face au changement climatique et à la baisse des précipitations.",
                    "body": [
                        ("heading", {"text": "Pourquoi une nouvelle stratégie ?", "level": "h2"}),
                        ("paragraph", "<p>Les réserves des barrages ont baissé ces dernières années, et l'économie d'eau est devenue une nécessité pour toutes les régions.</p>"),
                        ("heading", {"text": "Les grands axes", "level": "h2"}),
                        ("paragraph", "<ul><li>Réduire les pertes d'eau dans les réseaux</li><li>Réutiliser les eaux traitées pour l'irrigation</li><li>Dessaler l'eau de mer dans le Sud</li></ul>"),
                    ],
                },
                "en": {
                    "title": "Water 2050 strategy",
                    "summary": "A vision to secure drinking water and irrigation as the climate changes and rainfall declines.",
                    "body": [
                        ("heading", {"text": "Why a new strategy?", "level": "h2"}),
                        ("paragraph", "<p>Dam reserves have fallen in recent years, and saving water has become a necessity for every region.</p>"),
                        ("heading", {"text": "Main lines", "level": "h2"}),
                        ("paragraph", "<ul><li>Cut water losses in the networks</li><li>Reuse treated water for irrigation</li><li>Desalinate sea water in the South</li></ul>"),
                    ],
                },
            },
        ],
    },
    {
        "slug": "el-kef",
        "kind": "municipality",
        "contact_email": "baladiya@elkef.majlis.test",
        "phone": "+216 78 000 300",
        "website": "https://www.example.tn/elkef",
        "ar": {
            "title": "بلدية الكاف",
            "search_description": "الفضاء الرقمي للمواطن: مطالب، ميزانية تشاركية، ومشاريع بلدية.",
            "description": "<p>تفتح بلدية الكاف فضاءها الرقمي للمواطنين: لكل مطلب رقم متابعة، ولكل مشروع بلدي استشارة.</p>",
            "address": "ساحة الاستقلال، الكاف",
        },
        "fr": {
            "title": "Municipalité du Kef",
            "search_description": "L'espace numérique du citoyen : requêtes, budget participatif et projets municipaux.",
            "description": "<p>La municipalité du Kef ouvre son espace numérique aux citoyens : chaque requête a un numéro de suivi, chaque projet municipal sa consultation.</p>",
            "address": "Place de l'Indépendance, Le Kef",
        },
        "en": {
            "title": "El Kef Municipality",
            "search_description": "The citizen's digital space: requests, participatory budget and municipal projects.",
            "description": "<p>El Kef municipality opens its digital space to citizens: every request has a tracking number, every municipal project a consultation.</p>",
            "address": "Independence Square, El Kef",
        },
        "policies": [
            {
                "slug": "participatory-budget",
                "published_on": datetime.date(2026, 9, 20),
                "topics": {"ar": ["الميزانية التشاركية", "الماء"], "fr": ["budget participatif", "eau"], "en": ["participatory budget", "water"]},
                "ar": {
                    "title": "الميزانية التشاركية 2027",
                    "summary": "يقترح المتساكنون ويختارون المشاريع التي تموّلها البلدية في أحيائهم.",
                    "body": [
                        ("heading", {"text": "كيف تشارك؟", "level": "h2"}),
                        ("paragraph", "<p>تُعقد جلسات في كل دائرة بلدية، ثم يُعرض على المنصة كل مشروع مقترح للنقاش.</p>"),
                        ("paragraph", "<p>خُصّص هذا العام جزء من الميزانية لشبكات الماء الصالح للشرب في الأحياء الشعبية.</p>"),
                    ],
                },
                "fr": {
                    "title": "Budget participatif 2027",
                    "summary": "Les habitants proposent et choisissent les projets que la municipalité finance dans leurs quartiers.",
                    "body": [
                        ("heading", {"text": "Comment participer ?", "level": "h2"}),
                        ("paragraph", "<p>Des séances se tiennent dans chaque arrondissement, puis chaque projet proposé est soumis au débat sur la plateforme.</p>"),
                        ("paragraph", "<p>Cette année, une part du budget est réservée aux réseaux d'eau potable des quartiers populaires.</p>"),
                    ],
                },
                "en": {
                    "title": "Participatory budget 2027",
                    "summary": "Residents propose and choose the projects the municipality funds in their neighbourhoods.",
                    "body": [
                        ("heading", {"text": "How to take part", "level": "h2"}),
                        ("paragraph", "<p>Meetings are held in each district, then every proposed project is put up for discussion on the platform.</p>"),
                        ("paragraph", "<p>This year part of the budget is set aside for drinking-water networks in working-class neighbourhoods.</p>"),
                    ],
                },
            },
        ],
    },
]

