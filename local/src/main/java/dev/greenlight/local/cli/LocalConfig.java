package dev.greenlight.local.cli;

import dev.greenlight.local.host.LocalSettings;
import dev.greenlight.local.seed.EmbeddedDefault;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The settings the local host runs with: the embedded default, then local.settings.json, then the environment. */
final class LocalConfig {
    private LocalConfig() {
    }

    static Map<String, String> settings(Path data, Path settingsFile) {
        Map<String, String> settings = new LinkedHashMap<>(new EmbeddedDefault(data).settings());
        settings.putAll(LocalSettings.load(settingsFile, System.getenv()).asMap());
        return settings;
    }
}
