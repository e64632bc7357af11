"""French (printed with a space before ; : ? ! and with « » guillemets)."""

from . import Language

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")

TABLE = Language(
    code="fr",
    name="French",
    organs=("Assemblée générale", "Conseil de sécurité", "Conseil des droits de l'homme",
            "Commission des droits de l'homme", "Conseil économique et social"),
    chapeau=r"(?:L'|Le\s+|La\s+)(?P<organ>Assemblée générale|Conseil de sécurité|Conseil des droits de l'homme"
            r"|Commission des droits de l'homme|Conseil économique et social)\s*,?",
    heading=r"Résolution adoptée par (?:l'|le |la ).+",
    meeting=r"\d{1,4}(?:e|re|ème)\s+(?:\(reprise\)\s+)?séance(?:\s+plénière)?(?:\s+\(reprise\))?",
    date=rf"(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{'|'.join(_MONTHS)})\s+(?P<year>\d{{4}})",
    months=_MONTHS,
    preamble_openers=("ayant", "rappelant", "réaffirmant", "reconnaissant", "soulignant", "notant", "prenant",
                      "considérant", "consciente", "convaincue", "profondément", "gravement", "préoccupée",
                      "se félicitant", "accueillant", "tenant", "saluant", "sachant", "constatant", "insistant"),
    verbs={"invite": 1, "prend note": 1, "note": 1, "se félicite": 2, "accueille": 2, "encourage": 2,
           "prie": 3, "demande": 3, "recommande": 2, "engage": 3, "exhorte": 4, "demande instamment": 4,
           "exige": 5, "condamne": 4, "décide": 3},
    modifiers=("également", "en outre", "de nouveau", "aussi", "vivement", "fermement", "instamment"),
    ordinals=r"(?:\d+(?:e|re|ème)|(?:[a-zé]+-)*[a-zé]+ièmes?|premières?|premiers?)",
    function_words=("le", "la", "les", "des", "du", "de", "et", "à", "en", "dans", "sur", "pour", "que", "une", "aux"),
)
