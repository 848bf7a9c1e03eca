package dev.greenlight.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * promote and rollback send one request id per invocation and repeat the very same request on a
 * 503 or a lost connection, so the host can answer a repeat with the decision it already made.
 */
class IdempotentRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    FakeHost host;

    @BeforeEach
    void start() {
        host = new FakeHost(data);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void a_503_is_retried_with_the_same_request_id() {
        host.answers(new FakeHost.Answer(503, "{\"error\":\"store_unavailable\",\"detail\":\"blob storage is down\"}"),
                new FakeHost.Answer(200, FakeHost.decision("PROMOTED", "1", "2")));

        Cli cli = Cli.run(host.with("promote", "--version", "2"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("iris-clf:2 PROMOTED");
        List<FakeHost.Request> sent = host.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).body()).isEqualTo(sent.get(1).body());
        assertThat(requestId(sent.get(0))).matches("[A-Za-z0-9._:-]{1,128}");
        assertThat(cli.err()).contains("retrying");
    }

    @Test
    void a_dropped_connection_is_retried_with_the_same_request_id() {
        host.answers(FakeHost.Answer.drop(), new FakeHost.Answer(200, FakeHost.decision("ROLLED_BACK", "2", "1")));

        Cli cli = Cli.run(host.with("rollback"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        List<FakeHost.Request> sent = host.requests();
        assertThat(sent).hasSize(2);
        assertThat(requestId(sent.get(0))).isNotBlank().isEqualTo(requestId(sent.get(1)));
    }

    @Test
    void every_request_names_the_operator_who_asked() {
        host.answers(new FakeHost.Answer(200, FakeHost.decision("PROMOTED", "1", "2")));

        Cli.run(host.with("promote", "--version", "2"));

        assertThat(host.requests().get(0).actor())
                .startsWith("cli:" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_") + "@")
                .matches("cli:[A-Za-z0-9._-]+@[A-Za-z0-9._-]+");
    }

    @Test
    void each_invocation_has_its_own_request_id() {
        host.answers(new FakeHost.Answer(200, FakeHost.decision("PROMOTED", "1", "2")));

        Cli.run(host.with("promote", "--version", "2"));
        Cli.run(host.with("promote", "--version", "2"));

        assertThat(requestId(host.requests().get(0))).isNotEqualTo(requestId(host.requests().get(1)));
    }

    @Test
    void gives_up_after_three_retries_and_reports_the_refusal() {
        host.answers(new FakeHost.Answer(503, "{\"error\":\"store_unavailable\",\"detail\":\"blob storage is down\"}"));

        Cli cli = Cli.run(host.with("promote", "--version", "2"));

        assertThat(cli.exit()).isEqualTo(5);
        assertThat(host.requests()).hasSize(4);
        assertThat(host.requests()).extracting(IdempotentRequestTest::requestId).containsOnly(requestId(host.requests().get(0)));
        assertThat(cli.err()).contains("HTTP 503 store_unavailable: blob storage is down");
    }

    private static String requestId(FakeHost.Request request) {
        try {
            return JSON.readTree(request.body()).path("requestId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
