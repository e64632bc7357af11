import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

REAL_2003_73 = ROOT / "data" / "chr-2003-73.txt"
ILLUSTRATIVE_DRAFT = ROOT / "data" / "illustrative-draft-next-year.txt"
