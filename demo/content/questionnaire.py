"""The demo questionnaire: beside the water code consultation, every question kind, in Arabic,
French and English (the same keys in each: demo/build/questionnaires.py)."""

SLUG = "water-habits"
CONSULTATION = "water-code"
RESPONSES = 320  # generated, spread over governorates (demo/build/questionnaires.py)

TITLE = {
    "ar": "استبيان: الماء في حياتكم اليومية",
    "fr": "Questionnaire : l'eau au quotidien",
    "en": "Questionnaire: water in your daily life",
}
INTRO = {
    "ar": "<p>أجوبتكم تساعدنا على إعداد مجلة المياه. النتائج منشورة.</p>",
    "fr": "<p>Vos réponses aident à préparer le code des eaux. Les résultats sont publics.</p>",
    "en": "<p>Your answers help prepare the water code. The results are public.</p>",
}

# (key, kind, required, options?, extra, {language: text}, {language: [option labels]})
QUESTIONS = [
    ("source", "single", True, {},
     {"ar": "من أين يأتي ماء الشرب في منزلكم؟", "fr": "D'où vient l'eau potable chez vous ?",
      "en": "Where does your drinking water come from?"},
     {"ar": ["شبكة الصوناد", "بئر أو عين", "ماء معلب"],
      "fr": ["Réseau de la SONEDE", "Puits ou source", "Eau en bouteille"],
      "en": ["SONEDE network", "Well or spring", "Bottled water"]}),
    ("cuts", "short_text", False, {"show_if_question": 1, "show_if_options": "1", "max_length": 200},
     {"ar": "كم مرة ينقطع الماء في الصيف؟", "fr": "Combien de coupures d'eau en été ?",
      "en": "How often is the water cut in summer?"}, {}),
    ("uses", "multiple", False, {},
     {"ar": "فيمَ تستعملون الماء أساسا؟", "fr": "À quoi sert surtout votre eau ?",
      "en": "What do you mostly use water for?"},
     {"ar": ["الشرب والطبخ", "الري", "تربية الماشية"],
      "fr": ["Boire et cuisiner", "Irrigation", "Élevage"],
      "en": ["Drinking and cooking", "Irrigation", "Livestock"]}),
    ("quality", "scale", True, {},
     {"ar": "ما مدى رضاكم عن جودة الماء؟ (1 إلى 5)", "fr": "Êtes-vous satisfait de la qualité de l'eau ? (1 à 5)",
      "en": "How satisfied are you with the water quality? (1 to 5)"}, {}),
    ("priorities", "ranking", False, {},
     {"ar": "رتبوا الأولويات", "fr": "Classez les priorités", "en": "Rank the priorities"},
     {"ar": ["إصلاح التسربات", "حماية المائدة المائية", "تسعيرة عادلة"],
      "fr": ["Réparer les fuites", "Protéger les nappes", "Un tarif juste"],
      "en": ["Fix the leaks", "Protect the aquifers", "A fair price"]}),
    ("household", "number", True, {"min_value": "1", "max_value": "20"},
     {"ar": "كم عدد أفراد الأسرة؟", "fr": "Combien de personnes dans le foyer ?",
      "en": "How many people live in your household?"}, {}),
    ("ideas", "long_text", False, {},
     {"ar": "أفكار أخرى لمجلة المياه", "fr": "D'autres idées pour le code des eaux",
      "en": "Other ideas for the water code"}, {}),
]

TEXTS = {
    "cuts": ["مرتين في الأسبوع", "Tous les jours en août", "Once a week", "نادرا"],
    "ideas": [
        "Des citernes publiques dans les villages.",
        "تركيز عدادات فردية في الأرياف",
        "Publish the water analyses every month.",
        "Aider les agriculteurs au goutte-à-goutte.",
    ],
}
