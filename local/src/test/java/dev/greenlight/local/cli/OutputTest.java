package dev.greenlight.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the operator reads: a baseline change only when there was one, something rather than nothing, prose for status. */
class OutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = """
            {"instance":"4242@gl-host","startedAt":"2026-12-03T14:00:00Z","models":[
              {"model":"iris-clf","state":"serving","version":"2","sha256":"3f2a9b7c1d0e5f6a7b8c9d0e1f2a3b4c","generation":3,
               "loadedSince":"2026-12-03T14:00:01Z","requests":12,"errors":0,"loads":2,"pointerCheckedAt":"2026-12-03T14:05:00Z",
               "ledger":{"generation":3,"baseline":"2","previous":["1"],"pending":["4"],"decisions":5,
                         "lastDecision":"REJECTED 3: failed floor (f1=0.84999, required >= 0.85)"}},
              {"model":"wine-clf","state":"not_loaded","loads":0,
               "lastLoadError":{"version":"1","reason":"artifact of wine-clf:1 not found at /r/model.onnx","at":"2026-12-03T14:00:02Z"}}],
             "lastSync":{"at":"2026-12-03T14:05:00Z","actor":"timer","drift":[],"repaired":0}}""";

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
    void a_rejected_or_pending_decision_says_the_baseline_stays() {
        host.answers(new FakeHost.Answer(200, "{\"model\":\"iris-clf\",\"decisions\":["
                + FakeHost.decision("REJECTED", "2", "2") + "," + FakeHost.decision("PENDING", "2", "2") + "]}"));

        Cli cli = Cli.run(host.with("decisions"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("REJECTED", "PENDING").doesNotContain("2 -> 2");
        assertThat(cli.out().lines().filter(l -> l.contains("baseline stays 2"))).hasSize(2);
    }

    @Test
    void a_flip_shows_where_the_baseline_went() {
        host.answers(new FakeHost.Answer(200, "{\"model\":\"iris-clf\",\"decisions\":["
                + FakeHost.decision("PROMOTED", "1", "2") + "," + FakeHost.decision("REJECTED", null, null) + "]}"));

        Cli cli = Cli.run(host.with("decisions"));

        assertThat(cli.out()).contains("baseline 1 -> 2", "no baseline yet");
    }

    @Test
    void decisions_on_a_fresh_host_says_there_are_none_yet() {
        host.answers(new FakeHost.Answer(200, "{\"model\":\"iris-clf\",\"decisions\":[]}"));

        Cli cli = Cli.run(host.with("decisions"));

        assertThat(cli.exit()).isZero();
        assertThat(cli.out()).isEqualTo("no decisions yet for iris-clf" + System.lineSeparator());
    }

    @Test
    void status_reads_as_sentences_by_default() {
        host.answers(new FakeHost.Answer(200, STATUS));

        Cli cli = Cli.run(host.with("status"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).doesNotContain("{").contains(
                "iris-clf: serving version 2 (generation 3, sha256 3f2a9b7c1d0e...) since 2026-12-03T14:00:01Z",
                "ledger: baseline 2, generation 3, earlier baselines 1, pending 4, 5 decisions",
                "last decision: REJECTED 3: failed floor (f1=0.84999, required >= 0.85)",
                "wine-clf: NOT SERVING",
                "last load error: version 1 at 2026-12-03T14:00:02Z: artifact of wine-clf:1 not found at /r/model.onnx",
                "last sync: 2026-12-03T14:05:00Z by timer: 0 repaired");
    }

    @Test
    void status_json_prints_the_raw_answer() throws IOException {
        host.answers(new FakeHost.Answer(200, STATUS));

        Cli cli = Cli.run(host.with("status", "--json"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(JSON.readTree(cli.out())).isEqualTo(JSON.readTree(STATUS));
    }
}
