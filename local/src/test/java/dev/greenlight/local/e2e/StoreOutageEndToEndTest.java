package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged app on the local host, its store folder replaced by a plain file while it runs
 * (a lost mount): the routes that need the store answer 503 naming it, serving carries on, and
 * the log has one line for the outage instead of a stack trace per request.
 */
class StoreOutageEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger root = Logger.getLogger("");
    private RunningApp app;

    @AfterEach
    void stop() {
        root.removeHandler(capture);
        if (app != null) {
            app.close();
        }
    }

    @Test
    void with_the_store_gone_the_admin_and_read_routes_answer_503_store_unavailable() throws IOException {
        app = new RunningApp(Map.of());
        assertThat(app.versionServed()).isEqualTo("1");
        Path store = Path.of(app.settings.get("GREENLIGHT_STORE"));
        root.addHandler(capture);
        Files.move(store, store.resolveSibling("store-lost"));
        Files.writeString(store, "not a folder any more");
        String admin = app.host.keys().adminKey();

        List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(app.getWithKey("/api/decisions?model=iris-clf"));
        }
        answers.add(app.getWithKey("/api/status"));
        answers.add(app.post("/api/promote", "{\"model\":\"iris-clf\",\"version\":\"1\",\"force\":true}",
                "x-functions-key", admin, "Content-Type", "application/json"));
        answers.add(app.post("/api/rollback", "{\"model\":\"iris-clf\"}", "x-functions-key", admin,
                "Content-Type", "application/json"));

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(503);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("error").asText()).isEqualTo("store_unavailable");
            assertThat(body.path("detail").asText()).contains("the store " + store);
        }
        assertThat(app.versionServed()).as("serving does not need the store").isEqualTo("1");
        assertThat(records).as("no stack trace").allSatisfy(r -> assertThat(r.getThrown()).isNull());
        assertThat(records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage)).singleElement().asString().contains("the store " + store)
                .contains("is unavailable");
    }
}
