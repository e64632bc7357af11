"""Spanish."""

from . import Language

_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre")

TABLE = Language(
    code="es",
    name="Spanish",
    organs=("Asamblea General", "Consejo de Seguridad", "Consejo de Derechos Humanos",
            "Comisión de Derechos Humanos", "Consejo Económico y Social"),
    chapeau=r"(?:La|El)\s+(?P<organ>Asamblea General|Consejo de Seguridad|Consejo de Derechos Humanos"
            r"|Comisión de Derechos Humanos|Consejo Económico y Social)\s*,?",
    heading=r"Resolución aprobada por (?:la|el) .+",
    meeting=r"\d{1,4}(?:a|ª|º|o)\.?\s+sesión(?:\s+plenaria)?(?:\s+\(continuación\))?",
    date=rf"(?P<day>\d{{1,2}})\s+de\s+(?P<month>{'|'.join(_MONTHS)})\s+de\s+(?P<year>\d{{4}})",
    months=_MONTHS,
    preamble_openers=("habiendo", "recordando", "reafirmando", "reconociendo", "destacando", "observando",
                      "tomando", "considerando", "consciente", "convencida", "profundamente", "gravemente",
                      "preocupada", "acogiendo", "teniendo", "poniendo", "expresando", "subrayando", "celebrando"),
    verbs={"invita": 1, "toma nota": 1, "observa": 1, "acoge con beneplácito": 2, "celebra": 2, "alienta": 2,
           "solicita": 3, "pide": 3, "recomienda": 2, "exhorta": 4, "insta": 4, "exige": 5, "condena": 4,
           "decide": 3},
    modifiers=("también", "además", "asimismo", "nuevamente", "encarecidamente", "firmemente", "enérgicamente"),
    ordinals=r"(?:\d+(?:a|o|ª|º)|(?:vigésimo|trigésimo|cuadragésimo|quincuagésimo|sexagésimo|septuagésimo|octogésimo|nonagésimo|décimo)"
             r"|(?:primer|primero|primera|segundo|segunda|tercer|tercero|tercera|cuarto|cuarta|quinto|quinta|sexto|sexta"
             r"|séptimo|séptima|octavo|octava|noveno|novena|undécimo|duodécimo))",
    function_words=("el", "la", "los", "las", "de", "del", "y", "en", "que", "por", "con", "para", "su", "sus", "al"),
)
