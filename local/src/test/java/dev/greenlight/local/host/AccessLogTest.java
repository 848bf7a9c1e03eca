package dev.greenlight.local.host;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's line format. */
class AccessLogTest {

    @Test
    void writes_one_line_per_request_in_order_by_close() {
        List<String> lines = new CopyOnWriteArrayList<>();
        AccessLog log = new AccessLog(lines::add);

        log.record("GET", "/api/health", 200, 87, "Health");
        log.record("GET", "/api/nothing", 404, 12, null);
        log.close();

        assertThat(lines).containsExactly("GET /api/health 200 87 Health", "GET /api/nothing 404 12 -");
    }
}
