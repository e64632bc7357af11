"""English: the language of the original parser rules."""

from . import Language

TABLE = Language(
    code="en",
    name="English",
    organs=("General Assembly", "Security Council", "Human Rights Council", "Commission on Human Rights",
            "Economic and Social Council"),
    chapeau=r"The\s+(?P<organ>[A-Z][A-Za-z\- ]{2,80}?)\s*,"
            r"|The\s+(?P<organ2>General Assembly|Security Council|Human Rights Council|Commission on Human Rights|Economic and Social Council)",
    heading=r"Resolution adopted by the .+",
    meeting=r"\d{1,4}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting",
    date=r"(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4})",
    months=("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"),
    verbs={"invites": 1, "takes note": 1, "notes": 1, "welcomes": 2, "encourages": 2, "requests": 3,
           "recommends": 2, "calls upon": 4, "strongly encourages": 3, "urges": 4, "strongly urges": 5,
           "demands": 5, "condemns": 4, "strongly condemns": 5, "decides": 3},
    modifiers=("also", "further", "furthermore", "again", "once again", "strongly", "firmly", "deeply", "urgently"),
    ordinals=r"\d+(?:st|nd|rd|th)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?"
             r"|(?:twen|thir|for|fif|six|seven|eigh|nine)tieth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
             r"|(?:thir|four|fif|six|seven|eigh|nine)teenth|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)",
    function_words=("the", "of", "and", "to", "in", "its", "on", "for", "with", "that", "by"),
)
