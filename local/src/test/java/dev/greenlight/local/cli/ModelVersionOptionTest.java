package dev.greenlight.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --version} is the model version wherever one is taken; the CLI's own version has its own flag. */
class ModelVersionOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    FakeHost host;

    @BeforeEach
    void start() {
        host = new FakeHost(data).answers(new FakeHost.Answer(200, FakeHost.decision("ROLLED_BACK", "2", "1")));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void rollback_version_names_the_version_to_return_to() throws IOException {
        Cli cli = Cli.run(host.with("rollback", "--version", "1"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(host.requests()).hasSize(1);
        JsonNode body = JSON.readTree(host.requests().get(0).body());
        assertThat(host.requests().get(0).path()).isEqualTo("/api/rollback");
        assertThat(body.path("toVersion").asText()).isEqualTo("1");
    }

    @Test
    void rollback_to_still_names_the_version_to_return_to() throws IOException {
        Cli cli = Cli.run(host.with("rollback", "--to", "1"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(JSON.readTree(host.requests().get(0).body()).path("toVersion").asText()).isEqualTo("1");
    }

    @Test
    void promote_version_is_the_model_version() throws IOException {
        host.answers(new FakeHost.Answer(200, FakeHost.decision("PROMOTED", "1", "2")));

        Cli cli = Cli.run(host.with("promote", "--version", "2"));

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(JSON.readTree(host.requests().get(0).body()).path("version").asText()).isEqualTo("2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--cli-version", "version"})
    void the_cli_version_has_a_spelling_of_its_own(String ask) {
        Cli cli = Cli.run(ask);

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("greenlight 0.1.0" + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "status --version", "decisions -V", "promote -V --version 2",
            "rollback -V"})
    void a_version_flag_where_no_model_version_belongs_is_refused_and_points_at_cli_version(String args) {
        Cli cli = Cli.run(host.with(args.split(" ")));

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(cli.errLines()).hasSize(1);
        assertThat(cli.err()).contains("--cli-version");
        assertThat(host.requests()).isEmpty();
    }

    @Test
    void promote_needs_the_value_of_version() {
        Cli cli = Cli.run(host.with("promote", "--version"));

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(host.requests()).isEmpty();
    }
}
