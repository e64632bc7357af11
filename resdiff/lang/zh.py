"""Chinese: no spaces between words (the word diff segments the text), Chinese numerals in ordinals."""

from . import Language

TABLE = Language(
    code="zh",
    name="Chinese",
    organs=("大会", "安全理事会", "人权理事会", "人权委员会", "经济及社会理事会"),
    chapeau=r"(?P<organ>大会|安全理事会|人权理事会|人权委员会|经济及社会理事会)\s*[,，]?",
    heading=r".*(?:大会|理事会|委员会)决议",
    meeting=r"第\s*\d{1,4}\s*次(?:全体)?会议(?:\s*[(（]续会?[)）])?",
    date=r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日",
    months=tuple(str(m) for m in range(1, 13)),
    verbs={"邀请": 1, "注意到": 1, "欢迎": 2, "鼓励": 2, "请": 3, "要求": 3, "建议": 2, "吁请": 4, "促请": 4,
           "敦促": 4, "强烈敦促": 5, "谴责": 4, "决定": 3},
    modifiers=("又", "还", "也", "再次", "强烈", "进一步"),
    ordinals=r"第?[零〇一二三四五六七八九十百千]+(?:届|次)?",
    numerals="零〇一二三四五六七八九十百千",
    spaced=False,
    function_words=("的", "和", "在", "及", "并", "与", "对", "其", "为", "以", "中", "了"),
)
