package dev.greenlight.local.host.testapp;

import java.util.Map;

/** Where the test app keeps the settings its HostSettings hook received. */
public final class AppSettings {

    private static volatile Map<String, String> installed = Map.of();

    private AppSettings() {
    }

    public static void install(Map<String, String> settings) {
        installed = Map.copyOf(settings);
    }

    public static String get(String name) {
        return installed.get(name);
    }
}
