package dev.greenlight.local.host;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads the app the way the Java worker does: its jar and {@code lib/*.jar}, child first, on top
 * of the platform class loader, so the host's own libraries (Jackson, cron-utils) never leak
 * into the app and the app's never into the host.
 *
 * <p>One exception: {@code com.microsoft.azure.functions.*} comes from the host's class loader.
 * The host implements {@code HttpRequestMessage}, {@code HttpResponseMessage.Builder} and
 * {@code ExecutionContext}, and reads the binding annotations; if the app loaded its own copy
 * from {@code lib/}, those would be different types and nothing would bind.
 */
final class AppClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final String SHARED_PREFIX = "com.microsoft.azure.functions.";
    // JDK packages go to the parent first: a stray API jar in lib/ (say javax.xml.stream) must
    // not shadow the JDK's copy, which the JDK's own classes are linked against.
    private static final String[] PARENT_FIRST = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

    private final ClassLoader hostLoader;

    private AppClassLoader(URL[] urls, ClassLoader hostLoader) {
        super("greenlight-app", urls, ClassLoader.getPlatformClassLoader());
        this.hostLoader = hostLoader;
    }

    /**
     * A loader over {@code scriptFiles} and every jar in {@code appDir/lib}.
     *
     * @param hostLoader where {@code com.microsoft.azure.functions.*} comes from
     */
    static AppClassLoader create(Path appDir, Collection<Path> scriptFiles, ClassLoader hostLoader) {
        Set<Path> jars = new LinkedHashSet<>();
        scriptFiles.forEach(p -> jars.add(p.toAbsolutePath().normalize()));
        Path lib = appDir.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .forEach(f -> jars.add(f.toAbsolutePath().normalize()));
            } catch (IOException e) {
                throw new LocalHostException("cannot list " + lib + ": " + e.getMessage(), e);
            }
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new LocalHostException("cannot use jar " + jar + ": " + e.getMessage(), e);
            }
        }
        return new AppClassLoader(urls.toArray(URL[]::new), hostLoader);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(SHARED_PREFIX)) {
            return hostLoader.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = isParentFirst(name) ? parentThenChild(name) : childThenParent(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> parentThenChild(String name) throws ClassNotFoundException {
        try {
            return getParent().loadClass(name);
        } catch (ClassNotFoundException e) {
            return findClass(name);
        }
    }

    private Class<?> childThenParent(String name) throws ClassNotFoundException {
        try {
            return findClass(name);
        } catch (ClassNotFoundException e) {
            return getParent().loadClass(name);
        }
    }

    private static boolean isParentFirst(String name) {
        for (String prefix : PARENT_FIRST) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public URL getResource(String name) {
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        findResources(name).asIterator().forEachRemaining(all::add);
        getParent().getResources(name).asIterator().forEachRemaining(all::add);
        return Collections.enumeration(all);
    }
}
