"""A forum topic of El Kef municipality and its discussion."""

from demo.content.script import PINNED, say

FORUM = {
    "slug": "water-projects-2027",
    "institution": "el-kef",
    "opened_days_ago": 8,
    "topics": {
        "ar": ["الميزانية التشاركية", "الماء"],
        "fr": ["budget participatif", "eau"],
        "en": ["participatory budget", "water"],
    },
    "ar": {
        "title": "الميزانية التشاركية 2027: أي مشاريع ماء لأحيائنا؟",
        "summary": "خصّصت البلدية جزءا من الميزانية التشاركية لشبكات الماء والتطهير. اقترحوا المشاريع التي يجب أن تأتي أولا وناقشوها قبل جلسات التصويت في الدوائر البلدية.",
        "body": "<p>يُعرض على التصويت في كل دائرة بلدية ما يقترحه المتساكنون هنا. نرجو ذكر الحي والمشكل بدقة.</p>",
    },
    "fr": {
        "title": "Budget participatif 2027 : quels projets d'eau pour nos quartiers ?",
        "summary": "La municipalité réserve une part du budget participatif aux réseaux d'eau et d'assainissement. Proposez et discutez les projets prioritaires avant les séances de vote dans les arrondissements.",
        "body": "<p>Ce que les habitants proposent ici est soumis au vote dans chaque arrondissement. Merci de préciser le quartier et le problème.</p>",
    },
    "en": {
        "title": "Participatory budget 2027: which water projects for our neighbourhoods?",
        "summary": "The municipality sets aside part of the participatory budget for water and sanitation networks. Propose and discuss the projects that should come first, before the district voting meetings.",
        "body": "<p>What residents propose here is put to the vote in each district. Please name the neighbourhood and the problem precisely.</p>",
    },
}

FORUM_DISCUSSION = [
    say(
        "amira", "ar",
        "في حي الدير شوارع كاملة غير مرتبطة بشبكة التطهير، والمياه المستعملة تسيل في الطريق كل شتاء. يجب أن يكون هذا المشروع الأول.",
        say(
            "walid", "ar",
            "موافق، وعندنا في حي النور نفس المشكل. لكن التطهير مكلف جدا، فهل تكفي ميزانية هذه السنة؟",
            say(
                "editor.el-kef", "ar",
                "للتوضيح: المبلغ المخصص للماء والتطهير هذه السنة مليون ومائتا ألف دينار، والربط في حي الدير مقدّر بحوالي ثمانمائة ألف دينار حسب الدراسة الأولية.",
                agree=4,
            ),
            agree=3,
        ),
        agree=6,
    ),
    say(
        "rania", "fr",
        "Je propose de remettre en service les fontaines publiques de la médina : plusieurs sont à sec depuis des années, alors qu'elles servaient aux familles sans raccordement.",
        say(
            "walid", "ar",
            "فكرة جميلة، والعيون القديمة في القصبة جزء من تاريخ المدينة أيضا.",
            agree=3,
        ),
        agree=4,
    ),
    say(
        "walid", "ar",
        "قبل المشاريع الجديدة يجب إصلاح التسربات في الشبكة القديمة. في نهجنا يسيل الماء منذ شهرين ولا أحد يتدخل.",
        say(
            "rania", "fr",
            "Oui, et il faudrait un moyen simple de signaler les fuites, avec un suivi public de chaque signalement.",
            say(
                "amira", "ar",
                "المنصة نفسها يمكن أن تكون هذا الفضاء: كل بلاغ برقم متابعة، كما في مطالب المواطنين.",
                agree=3,
            ),
            agree=4,
        ),
        agree=5,
    ),
    say(
        "karim", "en",
        "Could the municipality publish a cost estimate for each proposed project before the vote? It is hard to choose between a sewer extension and fountains without knowing the price.",
        say(
            "editor.el-kef", "ar",
            "نعم، ستُنشر بطاقة فنية لكل مشروع مع كلفته التقديرية قبل جلسات التصويت في الدوائر البلدية.",
            agree=5,
        ),
        agree=4,
    ),
    say(
        "najet", "ar",
        "أقترح خزانات لتجميع مياه الأمطار في المدارس الابتدائية. الكاف من أكثر الولايات أمطارا، والماء يضيع في الطرقات.",
        say(
            "rania", "fr",
            "Très bonne idée, et pédagogique pour les enfants.",
            agree=2,
        ),
        agree=7,
        role=PINNED,
    ),
]
