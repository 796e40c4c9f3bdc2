"""Forum topics citizens proposed to El Kef municipality: one approved (now a topic), one
rejected with a public reason, one still waiting for a moderator."""

PROPOSALS = [
    {
        "proposer": "leila",
        "institution": "el-kef",
        "language": "fr",
        "title": "Des fontaines publiques dans la médina",
        "text": "Plusieurs fontaines de la médina sont à sec depuis l'été. Faut-il les remettre en service, et qui devrait les entretenir ?",
        "topics": "eau, médina",
        "decision": "approve",
    },
    {
        "proposer": "aquapure",
        "institution": "el-kef",
        "language": "ar",
        "title": "أفضل أجهزة تصفية الماء للمنازل",
        "text": "اطلبوا أجهزة التصفية الأفضل في تونس بأسعار خاصة لمتساكني الكاف.",
        "topics": "",
        "decision": "reject",
        "reason": "spam",
        "note": "إشهار تجاري: المنتدى مخصص للنقاش في السياسات العمومية.",
    },
    {
        "proposer": "salma",
        "institution": "el-kef",
        "language": "ar",
        "title": "تهيئة مسالك للدراجات حول المدينة العتيقة",
        "text": "نقترح فتح نقاش حول مسالك آمنة للدراجات تربط الأحياء بالمدينة العتيقة وبالمعاهد.",
        "topics": "النقل, الشباب",
        "decision": None,
    },
]
