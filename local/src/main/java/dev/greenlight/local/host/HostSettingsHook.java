package dev.greenlight.local.host;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The one way settings reach the app in-process.
 *
 * <p>The Functions host hands settings to the worker as environment variables. The local host
 * runs the app inside its own JVM, whose environment cannot be changed, so instead — once, right
 * after creating the app's class loader and before any function runs — it calls
 * {@code dev.greenlight.config.HostSettings.install(Map<String, String>)} in the app with the
 * merged settings ({@code local.settings.json} Values overlaid by the environment). An app
 * without that class (or method) simply reads its environment; the hook is then skipped.
 */
final class HostSettingsHook {

    static final String CLASS_NAME = "dev.greenlight.config.HostSettings";
    static final String METHOD_NAME = "install";

    private static final Logger LOG = Logger.getLogger(HostSettingsHook.class.getName());

    private HostSettingsHook() {
    }

    /**
     * Calls the app's {@code HostSettings.install(settings)} if it has one.
     *
     * @return whether the app had the hook
     * @throws LocalHostException when the app's install method fails
     */
    static boolean install(ClassLoader appLoader, Map<String, String> settings) {
        Class<?> hostSettings;
        try {
            hostSettings = Class.forName(CLASS_NAME, true, appLoader);
        } catch (ClassNotFoundException e) {
            LOG.fine(() -> "the app has no " + CLASS_NAME + "; it reads settings from its environment only");
            return false;
        } catch (LinkageError e) {
            throw new LocalHostException("cannot initialise " + CLASS_NAME + ": " + e, e);
        }
        Method install;
        try {
            install = hostSettings.getMethod(METHOD_NAME, Map.class);
        } catch (NoSuchMethodException e) {
            LOG.warning(() -> CLASS_NAME + " has no public static " + METHOD_NAME
                    + "(Map<String, String>); the app gets no settings from local.settings.json");
            return false;
        }
        if (!Modifier.isStatic(install.getModifiers())) {
            LOG.warning(() -> CLASS_NAME + "." + METHOD_NAME + " is not static; the app gets no settings"
                    + " from local.settings.json");
            return false;
        }
        try {
            install.invoke(null, Map.copyOf(settings));
            return true;
        } catch (InvocationTargetException e) {
            // The app refusing its settings says why in its message (the setting, the value, what
            // is allowed): that one line is what the operator needs, the cause keeps the rest.
            Throwable why = e.getCause();
            throw new LocalHostException("the app refused its settings: "
                    + (why.getMessage() != null ? why.getMessage() : why.toString()), why);
        } catch (IllegalAccessException e) {
            throw new LocalHostException("cannot call " + CLASS_NAME + "." + METHOD_NAME + ": " + e.getMessage(), e);
        }
    }

    /** Calls the app's {@code HostSettings.stop()} if it has one, so the app closes what it started. */
    static void stop(ClassLoader appLoader) {
        try {
            Class<?> hostSettings = Class.forName(CLASS_NAME, false, appLoader);
            Method stop = hostSettings.getMethod("stop");
            if (Modifier.isStatic(stop.getModifiers())) {
                stop.invoke(null);
            }
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            LOG.fine(() -> "the app has no " + CLASS_NAME + ".stop(); nothing to tell it at stop");
        } catch (IllegalAccessException | InvocationTargetException | LinkageError e) {
            LOG.warning("the app's " + CLASS_NAME + ".stop() failed: " + e);
        }
    }
}
