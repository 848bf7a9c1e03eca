package dev.greenlight.local.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every GREENLIGHT_* setting the code reads is in the README table and the sample settings. */
class SettingsDocumentedTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern SETTING = Pattern.compile("\"(GREENLIGHT_[A-Z0-9_]+)\"");

    @Test
    void every_setting_read_by_the_code_is_documented_and_in_the_sample() throws IOException {
        Set<String> inCode = settingsIn(ROOT.resolve("functions/src/main/java"));
        inCode.addAll(settingsIn(ROOT.resolve("local/src/main/java")));
        String readme = Files.readString(ROOT.resolve("README.md"));
        JsonNode sample = new ObjectMapper().readTree(ROOT.resolve("local.settings.sample.json").toFile());

        assertThat(inCode).contains("GREENLIGHT_MODELS", "GREENLIGHT_POINTER_TTL");
        for (String setting : inCode) {
            assertThat(readme).as("README documents %s", setting).contains("| `" + setting + "` |");
            assertThat(sample.path("Values").has(setting)).as("sample has %s", setting).isTrue();
        }
    }

    @Test
    void the_sample_holds_no_setting_the_code_does_not_read() throws IOException {
        Set<String> inCode = settingsIn(ROOT.resolve("functions/src/main/java"));
        inCode.addAll(settingsIn(ROOT.resolve("local/src/main/java")));
        JsonNode sample = new ObjectMapper().readTree(ROOT.resolve("local.settings.sample.json").toFile());

        sample.path("Values").fieldNames().forEachRemaining(name -> {
            if (name.startsWith("GREENLIGHT_")) {
                assertThat(inCode).as("code reads %s", name).contains(name);
            }
        });
    }

    private static Set<String> settingsIn(Path sources) throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                Matcher m = SETTING.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }
}
