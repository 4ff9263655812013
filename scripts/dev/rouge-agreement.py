"""Dev-only: scores tests/fixtures/evaluation/rouge-cases.json with Google's reference `rouge-score` (Python) and
writes tests/fixtures/evaluation/rouge-score-reference.json, which tests/unit/rouge-agreement.test.ts compares with
the emulator's js-rouge scores. Run: python3 -m venv .venv && .venv/bin/pip install rouge-score==0.1.2 &&
.venv/bin/python scripts/dev/rouge-agreement.py"""

import json
import pathlib
from importlib import metadata

from rouge_score import rouge_scorer

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "evaluation"

# rouge-score's defaults as HF `evaluate`'s rouge uses them: no stemmer, rougeL over the whole text.
scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
cases = json.loads((FIXTURES / "rouge-cases.json").read_text())
scored = []
for case in cases:
    result = scorer.score(case["reference"], case["answer"])
    scored.append({
        **case,
        **{
            name: {"precision": score.precision, "recall": score.recall, "f1": score.fmeasure}
            for name, score in (("rouge-1", result["rouge1"]), ("rouge-2", result["rouge2"]), ("rouge-l", result["rougeL"]))
        },
    })
out = {"rouge_score_version": metadata.version("rouge-score"), "use_stemmer": False, "cases": scored}
(FIXTURES / "rouge-score-reference.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
print(f"scored {len(scored)} cases with rouge-score {out['rouge_score_version']}")
