package dev.greenlight.local.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Function, admin and Event Grid keys: from settings, else generated once, owner-only. */
class KeyRingTest {

    @TempDir
    Path data;

    @Test
    void generates_each_key_once_into_owner_only_files() throws IOException {
        KeyRing keys = KeyRing.load(data, LocalSettings.of(Map.of()));

        for (String name : new String[] {"function.key", "admin.key", "eventgrid_extension.key"}) {
            Path file = data.resolve("secrets").resolve(name);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets"))))
                .isEqualTo("rwx------");
        assertThat(Files.readString(data.resolve("secrets/function.key"))).isEqualTo(keys.functionKey());
        assertThat(Files.readString(data.resolve("secrets/admin.key"))).isEqualTo(keys.adminKey());
        assertThat(Files.readString(data.resolve("secrets/eventgrid_extension.key"))).isEqualTo(keys.eventGridKey());
        try (var files = Files.list(data.resolve("secrets"))) {
            assertThat(files.count()).isEqualTo(3); // no temporary file left behind
        }
    }

    @Test
    void generated_keys_are_32_random_bytes_in_base64url_and_differ() {
        KeyRing keys = KeyRing.load(data, LocalSettings.of(Map.of()));

        for (String key : new String[] {keys.functionKey(), keys.adminKey(), keys.eventGridKey()}) {
            assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
            assertThat(key).matches("[A-Za-z0-9_-]{43}");
        }
        assertThat(keys.functionKey()).isNotEqualTo(keys.adminKey()).isNotEqualTo(keys.eventGridKey());
    }

    @Test
    void reuses_the_generated_keys_on_a_later_load() {
        KeyRing first = KeyRing.load(data, LocalSettings.of(Map.of()));
        KeyRing second = KeyRing.load(data, LocalSettings.of(Map.of()));

        assertThat(second.functionKey()).isEqualTo(first.functionKey());
        assertThat(second.adminKey()).isEqualTo(first.adminKey());
        assertThat(second.eventGridKey()).isEqualTo(first.eventGridKey());
    }

    @Test
    void takes_keys_from_settings_without_writing_files() {
        KeyRing keys = KeyRing.load(data, LocalSettings.of(Map.of(KeyRing.FUNCTION_KEY_SETTING, "fk",
                KeyRing.ADMIN_KEY_SETTING, "ak", KeyRing.EVENTGRID_KEY_SETTING, "ek")));

        assertThat(keys.functionKey()).isEqualTo("fk");
        assertThat(keys.adminKey()).isEqualTo("ak");
        assertThat(keys.eventGridKey()).isEqualTo("ek");
        assertThat(data.resolve("secrets")).doesNotExist();
    }

    @Test
    void auth_levels_accept_the_right_keys() {
        KeyRing keys = KeyRing.load(data, LocalSettings.of(Map.of(KeyRing.FUNCTION_KEY_SETTING, "fk",
                KeyRing.ADMIN_KEY_SETTING, "ak", KeyRing.EVENTGRID_KEY_SETTING, "ek")));

        assertThat(keys.allows(AuthLevel.ANONYMOUS, null)).isTrue();
        assertThat(keys.allows(AuthLevel.FUNCTION, "fk")).isTrue();
        assertThat(keys.allows(AuthLevel.FUNCTION, "ak")).isTrue();
        assertThat(keys.allows(AuthLevel.FUNCTION, "ek")).isFalse();
        assertThat(keys.allows(AuthLevel.FUNCTION, null)).isFalse();
        assertThat(keys.allows(AuthLevel.FUNCTION, "fk ")).isFalse();
        assertThat(keys.allows(AuthLevel.ADMIN, "fk")).isFalse();
        assertThat(keys.allows(AuthLevel.ADMIN, "ak")).isTrue();
        assertThat(keys.allowsWebhook("ek")).isTrue();
        assertThat(keys.allowsWebhook("ak")).isTrue();
        assertThat(keys.allowsWebhook("fk")).isFalse();
    }

    @Test
    void never_shows_a_key_in_its_string_form() {
        KeyRing keys = KeyRing.load(data, LocalSettings.of(Map.of()));

        assertThat(keys.toString()).doesNotContain(keys.functionKey(), keys.adminKey(), keys.eventGridKey());
    }
}
