package dev.greenlight.config;

import dev.greenlight.local.host.testapp.AppSettings;

import java.util.Map;

/**
 * The test app's settings hook: the class name and method the local host looks for. It is
 * compiled while the tests run (see TestApp) and exists only inside the test app's jar, so the
 * real dev.greenlight.config.HostSettings of the Functions app is never shadowed on the host's
 * own class path.
 */
public final class HostSettings {

    private HostSettings() {
    }

    public static void install(Map<String, String> settings) {
        AppSettings.install(settings);
    }
}
