package dev.greenlight.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.demo.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad names and versions are refused before anything is written or sent: exit 2, one line. */
class InputValidationTest {
    @TempDir
    Path data;
    FakeHost host;
    Path model;

    @BeforeEach
    void start() throws IOException {
        host = new FakeHost(data);
        model = Files.write(data.resolve("candidate.onnx"), DemoModels.bytes("iris-clf-2.onnx"));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private Cli register(String modelName) {
        return Cli.run(host.with("register", model.toString(), "--model", modelName, "-m", "f1=0.97",
                "--settings", data.resolve("no-local.settings.json").toString()));
    }

    @Test
    void register_refuses_a_model_that_is_not_managed_and_lists_the_managed_ones() {
        Cli cli = register("not-managed");

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(cli.errLines()).hasSize(1);
        assertThat(cli.err()).contains("'not-managed' is not managed", "GREENLIGHT_MODELS", "iris-clf");
        assertThat(data.resolve("registry/not-managed")).doesNotExist();
        assertThat(host.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../tmp/x", "a..b", ".hidden", "iris clf", "iris/clf"})
    void register_refuses_a_model_name_that_is_not_a_name_in_one_line(String name) {
        Cli cli = register(name);

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(cli.errLines()).hasSize(1);
        assertThat(cli.err()).contains("is not a valid model name").doesNotContain("Exception");
        assertThat(host.requests()).isEmpty();
    }

    @Test
    void a_model_name_longer_than_255_characters_is_refused() {
        Cli cli = Cli.run(host.with("decisions", "--model", "m".repeat(256)));

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(cli.err()).contains("is not a valid model name");
        assertThat(host.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"promote --version ../2", "rollback --version 2/../1", "promote --version -1",
            "rollback --to ..", "promote --model ../x --version 2"})
    void promote_and_rollback_refuse_a_version_or_model_that_is_not_one(String args) {
        host.answers(new FakeHost.Answer(200, FakeHost.decision("PROMOTED", "1", "2")));

        Cli cli = Cli.run(host.with(args.split(" ")));

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(cli.errLines()).hasSize(1);
        assertThat(host.requests()).isEmpty();
    }

    @Test
    void a_version_of_64_characters_is_accepted_and_65_refused() {
        host.answers(new FakeHost.Answer(200, FakeHost.decision("PROMOTED", "1", "2")));

        assertThat(Cli.run(host.with("promote", "--version", "v".repeat(64))).exit()).isZero();
        assertThat(Cli.run(host.with("promote", "--version", "v".repeat(65))).exit()).isEqualTo(2);
    }
}
