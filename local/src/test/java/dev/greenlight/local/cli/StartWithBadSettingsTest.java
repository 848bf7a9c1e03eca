package dev.greenlight.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code greenlight start} with a bad setting, run as the launcher runs it (a JVM of its own):
 * it prints one line naming the setting and exits non-zero, before it seeds or listens.
 */
class StartWithBadSettingsTest {
    private static final Path APP_DIR = Path.of("../functions/target/azure-functions/greenlight").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void a_misspelt_gate_key_stops_start_up_with_one_line_naming_it() throws Exception {
        Result result = start("GREENLIGHT_GATE", "{\"minImprovment\": 0.02}");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.lines()).singleElement().asString()
                .startsWith("greenlight start: GREENLIGHT_GATE has an unknown key 'minImprovment' (did you mean 'minImprovement'?)")
                .contains("allowed: ");
        assertThat(result.portStayedFree()).isTrue();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void an_invalid_setting_value_stops_start_up_with_one_line_naming_it_and_the_value() throws Exception {
        Result result = start("GREENLIGHT_POINTER_TTL", "soon");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.lines()).containsExactly(
                "greenlight start: GREENLIGHT_POINTER_TTL must be a number of seconds, was 'soon'");
        assertThat(result.portStayedFree()).isTrue();
    }

    private record Result(int exitCode, List<String> lines, boolean portStayedFree) {
    }

    private Result start(String setting, String value) throws Exception {
        Path settings = dir.resolve("local.settings.json");
        Files.writeString(settings, "{\"IsEncrypted\": false, \"Values\": {\"" + setting + "\": "
                + com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value) + "}}");
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "start", "--app", APP_DIR.toString(), "--data", dir.resolve("data").toString(),
                "--settings", settings.toString(), "--port", Integer.toString(port), "--no-access-log"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("GREENLIGHT_"));
        Process process = builder.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
            throw new AssertionError("greenlight start did not exit: it started despite the bad setting");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return new Result(process.exitValue(), lines, canBind(port));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
