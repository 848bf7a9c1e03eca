package dev.greenlight.local.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** local.settings.json Values overlaid by the environment, and %SETTING% resolution. */
class LocalSettingsTest {

    @TempDir
    Path tmp;

    private Path file(String json) throws IOException {
        return Files.writeString(tmp.resolve("local.settings.json"), json);
    }

    @Test
    void reads_values_and_the_local_http_port() throws IOException {
        LocalSettings s = LocalSettings.load(file("{\"IsEncrypted\": false, \"Values\": {\"A\": \"1\", \"N\": 5,"
                + " \"FUNCTIONS_WORKER_RUNTIME\": \"java\"}, \"Host\": {\"LocalHttpPort\": 7072}}"), Map.of());

        assertThat(s.get("A")).hasValue("1");
        assertThat(s.get("N")).hasValue("5");
        assertThat(s.localHttpPort()).hasValue(7072);
    }

    @Test
    void lets_the_environment_win_over_the_file() throws IOException {
        LocalSettings s = LocalSettings.load(file("{\"Values\": {\"A\": \"file\", \"B\": \"file\"}}"), Map.of("A", "env"));

        assertThat(s.get("A")).hasValue("env");
        assertThat(s.get("B")).hasValue("file");
    }

    @Test
    void treats_a_missing_file_as_no_values() {
        LocalSettings s = LocalSettings.load(tmp.resolve("absent.json"), Map.of("A", "env"));

        assertThat(s.asMap()).containsExactly(Map.entry("A", "env"));
        assertThat(s.localHttpPort()).isEmpty();
    }

    @Test
    void counts_a_blank_value_as_unset() {
        assertThat(LocalSettings.of(Map.of("A", " ")).get("A")).isEmpty();
    }

    @Test
    void refuses_an_encrypted_or_malformed_file_naming_it() throws IOException {
        Path encrypted = file("{\"IsEncrypted\": true, \"Values\": {}}");
        assertThatThrownBy(() -> LocalSettings.load(encrypted, Map.of()))
                .isInstanceOf(LocalHostException.class).hasMessageContaining("encrypted");
        Path broken = file("{\"Values\": ");
        assertThatThrownBy(() -> LocalSettings.load(broken, Map.of()))
                .isInstanceOf(LocalHostException.class).hasMessageContaining(broken.toString());
    }

    @Test
    void resolves_percent_placeholders_in_binding_values() {
        LocalSettings s = LocalSettings.of(Map.of("SCHEDULE", "0 */5 * * * *", "PREFIX", "v2"));

        assertThat(s.resolve("%SCHEDULE%", "SyncCheck")).isEqualTo("0 */5 * * * *");
        assertThat(s.resolve("%PREFIX%/models/{m}", "Infer")).isEqualTo("v2/models/{m}");
        assertThat(s.resolve("no placeholder", "Infer")).isEqualTo("no placeholder");
    }

    @Test
    void names_the_setting_and_function_of_an_unresolved_placeholder() {
        assertThatThrownBy(() -> LocalSettings.of(Map.of()).resolve("%GREENLIGHT_SYNC_SCHEDULE%", "SyncCheck"))
                .isInstanceOf(LocalHostException.class)
                .hasMessageContaining("function SyncCheck")
                .hasMessageContaining("setting GREENLIGHT_SYNC_SCHEDULE is not set");
    }

    @Test
    void shows_only_setting_names_in_its_string_form() {
        assertThat(LocalSettings.of(Map.of("SECRET", "hunter2")).toString()).contains("SECRET").doesNotContain("hunter2");
    }
}
