package dev.greenlight.config;

import java.util.Map;

/**
 * The settings a host hands to this app. Azure Functions passes app settings as environment
 * variables; Greenlight's local host runs the app inside its own JVM, so it installs its merged
 * settings here instead (it looks this class up by name). Nothing else in the app reads the
 * environment: {@link Settings#load()} goes through {@link #current()}.
 */
public final class HostSettings {
    private static volatile Map<String, String> installed;
    private static final java.util.List<Runnable> STOP_HOOKS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private HostSettings() {
    }

    /**
     * Called by the local host once, before the first invocation. The settings are checked first,
     * so that a bad one stops the host before it listens rather than failing every request.
     *
     * @throws dev.greenlight.errors.Misconfigured naming the first bad setting, its value and what is allowed
     */
    public static void install(Map<String, String> settings) {
        Settings.from(settings);
        installed = Map.copyOf(settings);
    }

    /** Registers what to run when the host stops the app (the composition root closes what it started). */
    public static void onStop(Runnable hook) {
        STOP_HOOKS.add(hook);
    }

    /**
     * Called by the local host when it stops, so the app closes every pool, client and session it
     * started. Azure Functions ends the worker process instead; there the hooks never run.
     */
    public static void stop() {
        for (Runnable hook : STOP_HOOKS) {
            STOP_HOOKS.remove(hook);
            hook.run();
        }
    }

    /** The installed settings, or the process environment when no host installed any. */
    static Map<String, String> current() {
        Map<String, String> map = installed;
        return map != null ? map : System.getenv();
    }
}
