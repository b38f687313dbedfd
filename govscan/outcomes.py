"""Two words kept apart: a run's *status* says how the work went; a *verdict* says how a
site or account was judged. A failed run leaves its site 未完成, never 不合格."""

#: A run's status, and an inspection's: running until it ends, completed or failed.
RUNNING, COMPLETED, FAILED = "running", "completed", "failed"
FINISHED = (COMPLETED, FAILED)

#: A verdict per 国办秘函〔2019〕19号; 未完成 when the site or account could not be judged.
PASSED, NOT_PASSED, INCOMPLETE = "合格", "不合格", "未完成"
