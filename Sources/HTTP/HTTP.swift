// HTTP: an async HTTP client on libcurl (many requests in flight, retries live in the callers).
