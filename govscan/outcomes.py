"""Two words kept apart: a run's *status* says how the work went; a *verdict* says how a
site or account was judged. A failed run leaves its site 未完成, never 不合格."""

#: A run's status, and an inspection's: running until it ends, completed or failed.
RUNNING, COMPLETED, FAILED = "running", "completed", "failed"
FINISHED = (COMPLETED, FAILED)
STATUS_NAMES = {RUNNING: "进行中", COMPLETED: "已完成", FAILED: "未完成"}

#: A verdict per 国办秘函〔2019〕19号; 未完成 when the site or account could not be judged.
PASSED, NOT_PASSED, INCOMPLETE = "合格", "不合格", "未完成"

#: Why a URL could not be read, by the kind the crawl records (``FetchRecord.error_kind``, a
#: finding's ``detail.kind``): one Chinese name for each, in messages, reports and archives.
FAILURE_NAMES = {
    "http_4xx": "HTTP 4xx（页面不存在或无法访问）",
    "http_5xx": "HTTP 5xx（服务器错误）",
    "dns": "域名无法解析",
    "refused": "连接被拒绝",
    "timeout": "超时无响应",
    "tls": "HTTPS 证书或加密连接错误",
    "redirect_loop": "重定向循环",
    "connection": "连接中断",
    "invalid_url": "链接地址无效，浏览器无法打开",
    "too_large": "内容超过抓取上限（过大、传输不结束或解压后过大）",
    "rate_limited": "访问频率受限（HTTP 429）",
    "robots": "robots.txt 禁止抓取",
}
