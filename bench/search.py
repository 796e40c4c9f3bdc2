"""Search on PostgreSQL with 100,000 documents: p50 and p95 of a rare word, a common word, a
phrase and a faceted query, through the backend a reader pays for, next to the same SQL run raw
on the same tables in the same run.

Run from the project root (after `make install`; needs a PostgreSQL server the URL's user may
create databases on — by default postgres@127.0.0.1:5432 with trust authentication):

    .venv/bin/python bench/search.py [--documents 100000] [--runs 50] [--seed 7]
        [--database-url postgres://postgres@127.0.0.1:5432/majlis_bench_search] [--keep] [--reuse]

What it does:

1. Drops and creates the database named in `--database-url` (its name must contain "bench", so
   a real database is never dropped), runs the migrations into it (search/0002 adds the
   generated `search_vector` column and its GIN index).
2. Generates `--documents` `SearchDocument` rows with `random.Random(--seed)`: six kinds,
   Arabic / French / English (45 / 35 / 20 %), ten institutions, twenty topics (the `topics`
   JSON list of each row), statuses, dates over five years, titles of 4–10 words and texts
   of 30–200 words drawn from a small vocabulary per language with Zipf-like frequencies (so
   some words are in a fifth of the documents of their language and others in a handful), a few
   set phrases ("eau potable", "الصحة العمومية", "public health"…), and rare words (places,
   technical terms). Arabic words are written with and without hamza and with ة or ه, French
   ones with their accents and elisions (l'eau): `title_words` / `body_words` are
   `search.text.folded_text()` of the title and text, as indexing makes them. Then
   `VACUUM ANALYZE` (what autovacuum does to a settled table). `--reuse` skips steps 1–2 when a
   `--keep` run left the database.
3. Picks the query words from the data (printed with their document counts): a rare word in
   ≈ 0.05 % of the documents, a common one in 10–20 %, a quoted two-word phrase, and the common
   word again with a kind and a year filter. Queries are parsed as a reader's would be
   (`parse_query`: a bare last word is matched as a prefix), facets on, relevance order.
4. For each query, 3 warm-ups then `--runs` runs, alternating:
   - backend: `search.selectors.documents_search(request=…)`, everything a reader's search
     costs below the view — the facets query, the page query, the model instances and the
     highlighting in Python;
   - raw SQL: the backend's own `facets_sql(request)` and `hits_sql(request)`, executed with a
     plain cursor and `fetchall()` (no ORM, no highlighting).
   Prints p50 and p95 of each, the ratio of the p95s, and whether the targets of issue 7 hold:
   p95 ≤ 50 ms and backend within 2× of raw SQL. `--explain` also prints `EXPLAIN (ANALYZE,
   BUFFERS)` of both statements of each query. `--protos` adds rows marked "proto:" that
   time parts of the backend's SQL on their own, to show where the time goes: the facets
   query alone, the page query alone, and the page query sorted by date (no ranking).
5. Drops the database unless `--keep`.

The machine is shared and has two cores: absolute times move from run to run; compare the rows
of one run.
"""

import argparse
import datetime
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/majlis_bench_search"


def wordlist(text: str) -> list[str]:
    return text.split()


# --- the vocabularies ---------------------------------------------------------------------------
# Most frequent first; a word's weight is 1 / rank (Zipf). Function words lead, so they are in
# nearly every document of their language, and the tail is in a few percent.

AR_FUNCTION = wordlist("""
في من على إلى أن التي الذي عن مع هذا هذه كل بين أو ما لا قد كما بعد حول ذلك وفق
لدى عند حتى ضمن خلال غير تم يتم كان إن هو هي أي قبل منذ نحو ثم لم لن""")
AR_CONTENT = wordlist("""
مشروع القانون الوزارة البلدية المجلس الهيئة الحكومة المواطنين المواطن الاستشارة
قرار مرسوم أمر الإدارة المؤسسة المسؤولية مسألة الرئاسة الميزانية الصحة التعليم المدرسة الجامعة
الطريق النقل المياه الماء الكهرباء الطاقة البيئة النفايات التلوث الفلاحة الصيد السياحة الثقافة
الرياضة الشباب المرأة الطفل الأسرة التشغيل البطالة الاستثمار الاقتصاد التنمية الجهة الجهوية المحلية
اللامركزية الشفافية المساءلة النفاذ المعلومة الحوكمة الرقمنة الإلكترونية الخدمات العمومية المستشفى
الأطباء الدواء التغطية الاجتماعية الضمان التقاعد الأجور الضرائب الجباية الديون المالية الدولة
الولاية المعتمدية العمادة الحي القرية المدينة الساحل الجنوب الشمال الوسط الغرب المنطقة الصناعية
الحضرية الريفية الخطة الاستراتيجية البرنامج تنفيذ تطبيق النص الفصل الباب الأحكام التعديل المقترح
الرأي التعليق الرد السؤال الطلب الحاجة النقص التأخير الكلفة التمويل جديد جديدة عام عامة وطني وطنية
محلي اجتماعي اقتصادي بيئي مهم ضروري ممكن الحالي القادم الأخير الأول المسار الإصلاح المشاركة التشاور
المجتمع المدني الجمعيات النقابة المنتخبين رئيس الوالي المعتمد العمدة الأمن السلامة العدالة المحكمة
الحقوق الحريات الصحافة الإعلام البيانات المفتوحة التقرير التقييم الرقابة التدقيق المحاسبة الصفقات
الشراءات المنافسة الأسعار الدعم المواد الأساسية السكن الكراء الأراضي الملكية العقارية الغابات
الشريط الساحلي البحر الشاطئ السدود الأمطار الجفاف المناخ الطاقات المتجددة الشمسية الريح الغاز
البترول المناجم الفسفاط المصانع الحرفيين التجار السوق الأسواق الموانئ المطار السكك الحافلات المترو
الطرقات الجسور المسالك الإنارة التطهير الصرف الصحي الشرب الصالح الري الآبار الواحات النخيل الزيتون
الحبوب الحليب اللحوم الأسماك المستهلك الجودة المعايير التراخيص الإجراءات الآجال المواعيد المطالب
الشكاوى العرائض المبادرة الإمضاءات الجلسة الاجتماع المداولات المحضر النشر الرائد الرسمي الجريدة
البلاغ الإعلان الموقع المنصة الرقمي الهاتف الانترنت التكوين المهني الشغل المؤسسات الصغرى المتوسطة
القروض البنوك الادخار الفقر الهشاشة الإعاقة المسنين الأطفال التلاميذ الطلبة الأساتذة المعلمين
الأولياء البرامج الكتب الامتحانات النتائج المنح""")
FR_FUNCTION = wordlist("""
de la le les des et à en du un une pour dans sur par au aux est que qui ne pas
plus avec ce cette il elle nous vous sont ont être leur leurs son sa ses se ou mais comme tout tous
sans entre depuis selon afin lors dont très bien aussi""")
FR_CONTENT = wordlist("""
projet loi ministère commune conseil instance gouvernement citoyens citoyen
consultation décret arrêté administration société responsabilité question présidence budget santé
éducation école université route transport eau eaux électricité énergie environnement déchets
pollution agriculture pêche tourisme culture sport jeunes femmes enfant famille emploi chômage
investissement économie développement région régionale locale décentralisation transparence
redevabilité accès information gouvernance numérique électronique services publics publique hôpital
médecins médicaments couverture sociale sécurité retraite salaires impôts fiscalité dette finances
état gouvernorat délégation quartier village ville littoral sud nord centre ouest zone industrielle
urbaine rurale plan stratégie programme mise œuvre application texte article chapitre dispositions
amendement proposition avis commentaire réponse demande besoin manque retard coût financement
nouveau nouvelle général générale national nationale social économique environnemental important
nécessaire possible actuel prochain dernier premier processus réforme participation concertation
société civile associations syndicat élus président gouverneur maire sûreté justice tribunal droits
libertés presse médias données ouvertes rapport évaluation contrôle audit comptabilité marchés
achats concurrence prix subvention produits logement loyer terres propriété foncière forêts côte
mer plage barrages pluies sécheresse climat énergies renouvelables solaire vent gaz pétrole mines
phosphate usines artisans commerçants marché ports aéroport chemins fer bus métro routes ponts
pistes éclairage assainissement potable irrigation puits oasis palmiers olives céréales lait viande
poissons consommateur qualité normes autorisations procédures délais rendez-vous requêtes plaintes
pétitions initiative signatures séance réunion délibérations procès-verbal publication journal
officiel communiqué annonce site plateforme téléphone internet formation professionnelle travail
entreprises petites moyennes crédits banques épargne pauvreté précarité handicap personnes âgées
enfants élèves étudiants professeurs enseignants parents manuels examens résultats bourses égalité
accessibilité intérêt bien-être périmètre problème difficulté règlement modification""")
EN_FUNCTION = wordlist("""
the of and to in a for is on that by with as be are this it from at or an not have
has will their which should more all we our they can must also its been than""")
EN_CONTENT = wordlist("""
draft law ministry municipality council authority government citizens citizen
consultation decree order administration institution responsibility issue presidency budget health
education school university road transport water electricity energy environment waste pollution
agriculture fishing tourism culture sport youth women child family employment unemployment
investment economy development region regional local decentralisation transparency accountability
access information governance digital electronic services public hospital doctors medicines
coverage social security pension wages taxes taxation debt finance state governorate delegation
neighbourhood village city coast south north centre west area industrial urban rural plan strategy
programme implementation application text article chapter provisions amendment proposal opinion
comment answer request need shortage delay cost funding new general national economic environmental
important necessary possible current next last first process reform participation dialogue society
civil associations union elected president governor mayor safety justice court rights freedoms
press media open data report evaluation oversight audit accounts procurement purchases competition
prices subsidy goods housing rent land property forests sea beach dams rain drought climate
renewable solar wind gas oil mines phosphate factories craftsmen traders market ports airport
railway buses metro roads bridges tracks lighting sanitation sewage drinking irrigation wells oases
palms olives grain milk meat fish consumer quality standards permits procedures deadlines
appointments claims complaints petitions initiative signatures session meeting minutes publication
gazette official statement announcement website platform phone internet training vocational work
businesses small medium loans banks savings poverty hardship disability elderly children pupils
students teachers parents textbooks exams results grants equality accessibility interest welfare
boundary problem difficulty regulation change""")

# Set phrases, put in running text as a whole (the first ones most often).
PHRASES = {
    "ar": [
        "الصحة العمومية",
        "الماء الصالح للشرب",
        "الجماعات المحلية",
        "المجلس البلدي",
        "الصفقات العمومية",
        "الطاقات المتجددة",
        "النفاذ إلى المعلومة",
        "الوظيفة العمومية",
    ],
    "fr": [
        "eau potable",
        "santé publique",
        "collectivités locales",
        "conseil municipal",
        "marchés publics",
        "énergies renouvelables",
        "accès à l'information",
        "fonction publique",
    ],
    "en": [
        "public health",
        "drinking water",
        "local authorities",
        "municipal council",
        "public procurement",
        "renewable energy",
        "access to information",
        "civil service",
    ],
}

# Rare words: places and technical terms, one of which a document mentions now and then.
PLACES_LATIN = wordlist("""
Tunis Sfax Sousse Kairouan Bizerte Gabès Ariana Gafsa Monastir Kasserine Médenine
Nabeul Tataouine Béja Jendouba Mahdia Siliana Tozeur Kébili Zaghouan Manouba Djerba Hammamet
Tabarka Testour Métlaoui Redeyef Moularès Chebba Mornag Mateur Douz Nefta Zarzis Kélibia Korba
Msaken Enfidha Thala Fériana Sbeitla Makthar Dahmani Tajerouine Ghardimaou Nefza Bousalem
Teboursouk Menzel Jemmal Ouardanine Sayada Bekalta Jerissa Haffouz Oueslatia Bouhajla Sbikha
Chorbane Souassi Hebira Ghomrassen Remada Dehiba Beni Khedache Sidi Makhlouf Ajim Midoun Houmt Souk
Hazoua Tamerza Chebika Degache Kasbah Medina Carthage Goulette Marsa Radès Mégrine Ezzahra Hammam
Lif Soliman Grombalia""")
PLACES_ARABIC = wordlist("""
تونس صفاقس سوسة القيروان بنزرت قابس أريانة قفصة المنستير القصرين مدنين نابل
تطاوين باجة جندوبة المهدية سليانة توزر قبلي زغوان منوبة جربة الحمامات طبرقة تستور المتلوي الرديف أم
العرائس الشابة مرناق ماطر دوز نفطة جرجيس قليبية قربة مساكن النفيضة تالة فريانة سبيطلة مكثر الدهماني
تاجروين غار الدماء نفزة بوسالم تبرسق منزل جميل الوردانين الساحلين بقالطة الجريصة حفوز الوسلاتية
بوحجلة السبيخة الشربان السواسي الهبيرة غمراسن رمادة الذهيبة بني خداش سيدي مخلوف أجيم ميدون حومة
السوق حزوة تمغزة الشبيكة دقاش القصبة المدينة قرطاج حلق الوادي المرسى رادس مقرين الزهراء حمام الأنف
سليمان قرمبالية""")
TECH = {
    "ar": wordlist("""
الاستقصاء التحكيم الإحالة الاستئناف التقادم الإبطال الترخيص الاستملاك المصادرة الحجز
التسوية الإعفاء الاستثناء التقسيط الغرامة التعويض الطعن الإلغاء التمديد التأجيل الحوالة الكفالة
الرهن الوكالة المزايدة المناقصة الإسناد الامتياز الشراكة التفويت الاستغلال"""),
    "fr": wordlist("""
enquête arbitrage renvoi appel prescription annulation dérogation expropriation saisie
confiscation règlement exonération exception échéancier amende indemnisation recours abrogation
prolongation report cession caution hypothèque mandat adjudication soumission attribution
concession partenariat affermage exploitation"""),
    "en": wordlist("""
inquiry arbitration referral appeal limitation annulment waiver expropriation seizure
confiscation settlement exemption exception instalment fine compensation recourse repeal extension
postponement assignment guarantee mortgage mandate auction tender award concession partnership
lease exploitation"""),
}

KINDS = [
    ("contribution", 55),
    ("topic", 10),
    ("consultation", 8),
    ("decision", 12),
    ("outcome", 5),
    ("policy", 10),
]
LANGUAGES = [("ar", 45), ("fr", 35), ("en", 20)]
STATUSES = {
    "consultation": ["upcoming", "open", "closed", "closed", "outcome", "outcome"],
    "topic": ["open", "closed", "closed"],
    "decision": ["proposed", "adopted", "in_force", "in_force", "implemented", "abandoned"],
}
INSTITUTIONS = [
    (
        "ministere-sante",
        {"ar": "وزارة الصحة", "fr": "Ministère de la Santé", "en": "Ministry of Health"},
    ),
    (
        "ministere-education",
        {"ar": "وزارة التربية", "fr": "Ministère de l'Éducation", "en": "Ministry of Education"},
    ),
    (
        "ministere-agriculture",
        {
            "ar": "وزارة الفلاحة",
            "fr": "Ministère de l'Agriculture",
            "en": "Ministry of Agriculture",
        },
    ),
    (
        "ministere-finances",
        {"ar": "وزارة المالية", "fr": "Ministère des Finances", "en": "Ministry of Finance"},
    ),
    (
        "ministere-transport",
        {"ar": "وزارة النقل", "fr": "Ministère du Transport", "en": "Ministry of Transport"},
    ),
    (
        "ministere-environnement",
        {
            "ar": "وزارة البيئة",
            "fr": "Ministère de l'Environnement",
            "en": "Ministry of Environment",
        },
    ),
    (
        "commune-tunis",
        {"ar": "بلدية تونس", "fr": "Commune de Tunis", "en": "Municipality of Tunis"},
    ),
    ("commune-sfax", {"ar": "بلدية صفاقس", "fr": "Commune de Sfax", "en": "Municipality of Sfax"}),
    (
        "commune-sousse",
        {"ar": "بلدية سوسة", "fr": "Commune de Sousse", "en": "Municipality of Sousse"},
    ),
    (
        "assemblee",
        {
            "ar": "مجلس نواب الشعب",
            "fr": "Assemblée des représentants",
            "en": "Assembly of Representatives",
        },
    ),
]
TOPICS = {
    "ar": wordlist("""
الماء الصحة التعليم النقل البيئة الفلاحة الطاقة السكن التشغيل الثقافة الرقمنة المالية
العدالة الأمن الشباب المرأة السياحة الصناعة البلديات الشفافية"""),
    "fr": wordlist("""
Eau Santé Éducation Transport Environnement Agriculture Énergie Logement Emploi
Culture Numérique Finances Justice Sécurité Jeunesse Femmes Tourisme Industrie Communes
Transparence"""),
    "en": wordlist("""
Water Health Education Transport Environment Agriculture Energy Housing Employment
Culture Digital Finance Justice Security Youth Women Tourism Industry Municipalities Transparency
"""),
}
CONTRIBUTION_TITLE = {
    "ar": "مساهمة في «{}»",
    "fr": "Contribution à « {} »",
    "en": "Contribution to “{}”",
}
ELIDED = {"le", "la", "de", "que", "ne", "se"}
VOWELS = tuple("aeiouyhéèêâîôûœ")
START = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
SPAN_SECONDS = 5 * 365 * 86400


def cumulative(count: int, exponent: float = 1.0) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank**exponent
        out.append(total)
    return out


class Language:
    """One language's word lists and how to draw text from them."""

    def __init__(self, code: str, function: list[str], content: list[str]):
        self.code = code
        # Function words first, then content words with a derived form (Arabic: without the
        # article; French/English: a plural) just after every third one, so there are inflected
        # forms of the same stem with different frequencies.
        vocabulary = list(function)
        for index, word in enumerate(content):
            vocabulary.append(word)
            if index % 3 == 0:
                derived = self.derived(word)
                if derived and derived not in vocabulary:
                    vocabulary.append(derived)
        self.vocabulary = vocabulary
        self.weights = cumulative(len(vocabulary))
        self.content = [word for word in vocabulary if word not in function]
        self.content_weights = cumulative(len(self.content), 0.8)
        self.phrases = PHRASES[code]
        self.phrase_weights = cumulative(len(self.phrases))
        self.rare = (PLACES_ARABIC if code == "ar" else PLACES_LATIN) + TECH[code]

    def derived(self, word: str) -> str:
        if self.code == "ar":
            return word[2:] if word.startswith("ال") and len(word) > 4 else ""
        irregular = (
            "s",
            "x",
            "z",
            "y",
            "eau",
            "al",
            "en",
            "th",
            "ion",
            "ure",
            "ity",
            "ism",
            "ment",
            "ture",
        )
        if word.endswith(irregular) or "-" in word:
            return ""
        return word + "s"

    def spell(self, rng: random.Random, word: str) -> str:
        """The word as someone might type it: Arabic without hamza or with ه for ة, French
        once in a while in capitals."""
        if self.code == "ar":
            if rng.random() < 0.2:
                word = word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
            if word.endswith("ة") and rng.random() < 0.2:
                word = word[:-1] + "ه"
        elif self.code == "fr" and rng.random() < 0.01:
            word = word.upper()
        return word

    def text(
        self, rng: random.Random, count: int, *, phrase_chance: float, rare_chance: float
    ) -> str:
        tokens = [
            self.spell(rng, word)
            for word in rng.choices(self.vocabulary, cum_weights=self.weights, k=count)
        ]
        if rng.random() < phrase_chance:
            phrase = rng.choices(self.phrases, cum_weights=self.phrase_weights)[0]
            tokens.insert(rng.randrange(len(tokens) + 1), phrase)
        if rng.random() < rare_chance:
            tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(self.rare))
        return self.punctuate(rng, tokens)

    def title(self, rng: random.Random) -> str:
        count = rng.randint(4, 10)
        tokens = [
            self.spell(rng, w)
            for w in rng.choices(self.content, cum_weights=self.content_weights, k=count)
        ]
        if rng.random() < 0.15:
            tokens.insert(
                rng.randrange(len(tokens) + 1),
                rng.choices(self.phrases, cum_weights=self.phrase_weights)[0],
            )
        if rng.random() < 0.03:
            tokens.append(rng.choice(self.rare))
        text = " ".join(tokens)
        return text[0].upper() + text[1:]

    def punctuate(self, rng: random.Random, tokens: list[str]) -> str:
        out, sentence = [], 0
        comma, stop = ("،", ".") if self.code == "ar" else (",", ".")
        for index, token in enumerate(tokens):
            if self.code == "fr" and out and out[-1] in ELIDED and token.startswith(VOWELS):
                out[-1] = out[-1][0] + "'" + token  # l'eau, d'une, qu'il
                continue
            out.append(token)
            sentence += 1
            if sentence > 6 and rng.random() < 0.12:
                out[-1] += stop if rng.random() < 0.6 else comma
                sentence = 0
        return " ".join(out) + stop


def languages() -> dict[str, Language]:
    return {
        "ar": Language("ar", AR_FUNCTION, AR_CONTENT),
        "fr": Language("fr", FR_FUNCTION, FR_CONTENT),
        "en": Language("en", EN_FUNCTION, EN_CONTENT),
    }


# --- the database -------------------------------------------------------------------------------


def admin_execute(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database (CREATE / DROP DATABASE)."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def database_exists(url: str, name: str) -> bool:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def generate(count: int, seed: int) -> None:
    from django.utils import timezone
    from tqdm import tqdm

    from search.models import SearchDocument
    from search.text import folded_text

    rng = random.Random(seed)
    langs = languages()
    kinds, kind_weights = zip(*KINDS)
    codes, code_weights = zip(*LANGUAGES)
    tz = timezone.get_default_timezone()
    batch_size = 1000
    documents: list[SearchDocument] = []

    def flush():
        SearchDocument.objects.bulk_create(documents)
        documents.clear()

    for number in tqdm(range(1, count + 1), desc="documents", unit="doc", mininterval=1.0):
        kind = rng.choices(kinds, weights=kind_weights)[0]
        code = rng.choices(codes, weights=code_weights)[0]
        lang = langs[code]
        slug, names = INSTITUTIONS[min(int(rng.paretovariate(1.2)) - 1, len(INSTITUTIONS) - 1)]
        date = START + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS))
        title = lang.title(rng)
        if kind == "contribution":
            title = CONTRIBUTION_TITLE[code].format(title)
            key = f"contribution-{number}"
        else:
            key = f"page-{number}"
        body = lang.text(rng, rng.randint(30, 200), phrase_chance=0.4, rare_chance=0.15)
        status = rng.choice(STATUSES[kind]) if kind in STATUSES else ""
        reference = f"{rng.randint(1, 999)}-{date.year}" if kind == "decision" else ""
        topics = sorted(
            {
                TOPICS[code][min(int(rng.paretovariate(0.9)) - 1, 19)]
                for _ in range(rng.randint(0, 3))
            }
        )
        extra = (
            {"author": f"Citizen {rng.randint(1, 5000)}", "number": number}
            if kind == "contribution"
            else {}
        )
        documents.append(
            SearchDocument(
                key=key,
                kind=kind,
                language=code,
                title=title[:500],
                body=body,
                url=f"/{code}/bench/{key}/",
                institution=slug,
                institution_name=names[code],
                status=status,
                reference=reference,
                topics=topics,
                date=date,
                year=date.astimezone(tz).year,
                extra=extra,
                title_words=folded_text(title),
                body_words=folded_text(body),
            )
        )
        if len(documents) >= batch_size:
            flush()
    if documents:
        flush()


# --- picking the queries ------------------------------------------------------------------------


def count_matches(tsquery: str, extra_sql: str = "", params=()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM search_searchdocument d "
            f"WHERE d.search_vector @@ to_tsquery('simple', %s) {extra_sql}",
            [tsquery, *params],
        )
        return cursor.fetchone()[0]


def pick_queries(total: int) -> dict[str, tuple[str, dict]]:
    """(typed query, filters) per row, chosen from the data's own document frequencies."""
    from django.db import connection

    from search.backends.database import tsquery_expression
    from search.text import folded_text, parse_query

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM search_searchdocument') "
            "WHERE length(word) >= 4 AND word !~ '^[0-9]+$'"
        )
        stats = cursor.fetchall()

    function = {folded_text(word) for word in AR_FUNCTION + FR_FUNCTION + EN_FUNCTION}
    stats = [row for row in stats if row[0] not in function]

    def nearest(target: float, tries: int = 25) -> tuple[str, int]:
        # The typed word is read as a prefix: count what the prefix really matches.
        candidates = sorted(stats, key=lambda row: abs(row[1] - target))[:tries]
        counted = [
            (word, count_matches(tsquery_expression(parse_query(word)))) for word, _n in candidates
        ]
        return min(counted, key=lambda row: (abs(row[1] - target), row[0]))

    rare, rare_n = nearest(total * 0.0005)
    common, common_n = nearest(total * 0.15)
    phrases = []
    for texts in PHRASES.values():
        for text in texts:
            folded = folded_text(text).split()
            if len(folded) == 2:
                phrases.append((text, count_matches(tsquery_expression(parse_query(f'"{text}"')))))
    phrase, phrase_n = min(phrases, key=lambda row: (abs(row[1] - total * 0.02), row[0]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(year) - 1 FROM search_searchdocument")
        year = cursor.fetchone()[0]
    print(
        f"Queries: rare {rare!r} ({rare_n} documents), common {common!r} ({common_n}), "
        f'phrase "{phrase}" ({phrase_n}), faceted: {common!r} + kind=decision + year={year}'
    )
    return {
        "rare word": (rare, {}),
        "common word": (common, {}),
        "phrase": (f'"{phrase}"', {}),
        "faceted": (common, {"kinds": ("decision",), "years": (year,)}),
    }


# --- measuring ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def raw_run(statements: list[tuple[str, list]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def proto_statements(request) -> dict[str, list[tuple[str, list]]]:
    """Parts of the backend's own SQL timed on their own, to show where the time goes."""
    import dataclasses

    from search.backends.database import DatabaseBackend

    backend = DatabaseBackend()
    return {
        "facets query only": [backend.facets_sql(request)],
        "page query only": [backend.hits_sql(request)],
        "page query sorted by date (no ranking)": [
            backend.hits_sql(dataclasses.replace(request, sort="date"))
        ],
    }


def explain(statements: list[tuple[str, list]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))
            print()


def measure(queries, runs: int, *, protos: bool, show_plans: bool) -> list[tuple]:
    from search.backends.base import SearchRequest
    from search.backends.database import DatabaseBackend
    from search.selectors import documents_search
    from search.text import parse_query

    backend = DatabaseBackend()
    rows = []
    for label, (typed, filters) in queries.items():
        request = SearchRequest(query=parse_query(typed), **filters)
        statements = [backend.facets_sql(request), backend.hits_sql(request)]
        timed = {"backend": [], "raw": []}
        results = None
        for run in range(3 + runs):
            order = ("backend", "raw") if run % 2 else ("raw", "backend")
            for which in order:
                started = time.perf_counter()
                if which == "backend":
                    results = documents_search(request=request)
                else:
                    raw_run(statements)
                elapsed = (time.perf_counter() - started) * 1000
                if run >= 3:
                    timed[which].append(elapsed)
        rows.append((label, typed, results.total, timed["backend"], timed["raw"]))
        print(
            f"  {label:<12} {typed!r}: {results.total} matches, backend p50 "
            f"{statistics.median(timed['backend']):.1f} ms, "
            f"raw p50 {statistics.median(timed['raw']):.1f} ms",
            flush=True,
        )
        if protos:
            for proto, proto_statements_ in proto_statements(request).items():
                times = []
                for run in range(3 + runs):
                    started = time.perf_counter()
                    raw_run(proto_statements_)
                    if run >= 3:
                        times.append((time.perf_counter() - started) * 1000)
                rows.append((f"  proto: {proto}", typed, results.total, None, times))
        if show_plans:
            print(f"--- EXPLAIN {label} ({typed!r}) ---")
            explain(statements)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--keep", action="store_true", help="leave the database for --reuse")
    parser.add_argument(
        "--reuse", action="store_true", help="search the database a --keep run left"
    )
    parser.add_argument(
        "--protos", action="store_true", help="also time parts of the SQL on their own (proto: rows)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of each query"
    )
    args = parser.parse_args()

    name = urlsplit(args.database_url).path.lstrip("/")
    if "bench" not in name:
        parser.error(f"the database name must contain 'bench' (it is dropped): {name!r}")
    reuse = args.reuse and database_exists(args.database_url, name)
    if not reuse:
        admin_execute(
            args.database_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'
        )

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEBUG"] = "False"  # no query log in the timed path
    os.environ["ELASTICSEARCH_URL"] = ""  # the database backend, whatever the shell says
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        if not reuse:
            print(f"Migrating {name} …", flush=True)
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            generate(args.documents, args.seed)
            print(
                f"Generated in {time.perf_counter() - started:.0f} s; VACUUM ANALYZE …", flush=True
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_searchdocument")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), pg_size_pretty(pg_total_relation_size('search_searchdocument')) "
                "FROM search_searchdocument"
            )
            total, size = cursor.fetchone()
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"{total} documents ({size} with indexes), PostgreSQL {version}", flush=True)
        queries = pick_queries(total)
        print(
            f"Measuring ({args.runs} runs after 3 warm-ups, backend and raw SQL alternating) …",
            flush=True,
        )
        rows = measure(queries, args.runs, protos=args.protos, show_plans=args.explain)
    finally:
        connection.close()
        if not args.keep:
            admin_execute(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print()
    print(
        f"Search, {total} documents, PostgreSQL {version.split()[0]}, "
        f"Python {sys.version.split()[0]}, "
        f"{args.runs} runs (ms)"
    )
    print("| query | matches | backend p50 | backend p95 | raw SQL p50 | raw p95 | ratio p95 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    held = True
    for label, typed, matches, backend, raw in rows:
        raw_cells = f"{statistics.median(raw):.1f} | {percentile(raw, 0.95):.1f}"
        if backend is None:  # a part of the SQL, timed alone
            print(f"| {label} | {matches} | | | {raw_cells} | |")
            continue
        ratio = percentile(backend, 0.95) / percentile(raw, 0.95)
        held = held and percentile(backend, 0.95) <= 50 and ratio <= 2
        print(
            f"| {label} `{typed}` | {matches} | {statistics.median(backend):.1f} | "
            f"{percentile(backend, 0.95):.1f} | {raw_cells} | {ratio:.2f}× |"
        )
    print()
    print(
        "Targets (p95 ≤ 50 ms, backend p95 within 2× of raw SQL): " + ("held" if held else "MISSED")
    )
    sys.exit(0 if held else 1)


if __name__ == "__main__":
    main()
