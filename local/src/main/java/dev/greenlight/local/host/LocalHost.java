package dev.greenlight.local.host;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the packaged Functions app from its staged folder, as the Functions host and Java worker
 * would: HTTP routes on {@code http://localhost:<port>/<routePrefix>/…}, the Event Grid webhook
 * at {@code /runtime/webhooks/eventgrid?functionName=<Function>}, and timers on their schedules.
 * Everything it serves comes from the app's generated {@code function.json} files.
 *
 * <pre>{@code
 * try (LocalHost host = LocalHost.start(LocalHost.Options.of(appDir).withPort(0))) {
 *     URI base = host.baseUri();   // http://localhost:<port>
 *     String key = host.keys().functionKey();
 * }
 * }</pre>
 */
public final class LocalHost implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalHost.class.getName());
    private static final Duration GRACE = Duration.ofSeconds(2);

    /**
     * What to run and how.
     *
     * @param appDir       the staged app folder, e.g. {@code functions/target/azure-functions/greenlight}
     * @param port         the port on localhost; 0 picks a free one; null takes {@code Host.LocalHttpPort}
     *                     from the settings file, else {@value #DEFAULT_PORT}
     * @param dataDir      where generated keys are kept ({@code <dataDir>/secrets}); default {@code ./.greenlight}
     * @param settingsFile {@code local.settings.json}; may be null or missing (then only the environment counts)
     * @param environment  settings that win over the file's Values, normally the process environment
     * @param accessLog    whether to write one line per request to standard output
     */
    public record Options(Path appDir, Integer port, Path dataDir, Path settingsFile,
                          Map<String, String> environment, boolean accessLog) {

        public static final int DEFAULT_PORT = 7071;
        public static final Path DEFAULT_DATA_DIR = Path.of(".greenlight");
        public static final Path DEFAULT_SETTINGS_FILE = Path.of("local.settings.json");

        public Options {
            Objects.requireNonNull(appDir, "appDir");
            if (port != null && (port < 0 || port > 65535)) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }

        /** The defaults: port from settings or 7071, {@code ./.greenlight}, {@code ./local.settings.json}, the process environment, access log on. */
        public static Options of(Path appDir) {
            return new Options(appDir, null, DEFAULT_DATA_DIR, DEFAULT_SETTINGS_FILE, System.getenv(), true);
        }

        public Options withPort(Integer port) {
            return new Options(appDir, port, dataDir, settingsFile, environment, accessLog);
        }

        public Options withDataDir(Path dataDir) {
            return new Options(appDir, port, dataDir, settingsFile, environment, accessLog);
        }

        public Options withSettingsFile(Path settingsFile) {
            return new Options(appDir, port, dataDir, settingsFile, environment, accessLog);
        }

        public Options withEnvironment(Map<String, String> environment) {
            return new Options(appDir, port, dataDir, settingsFile, environment, accessLog);
        }

        public Options withAccessLog(boolean accessLog) {
            return new Options(appDir, port, dataDir, settingsFile, environment, accessLog);
        }
    }

    private final Options options;
    private final LocalSettings settings;
    private final FunctionIndex index;
    private final AppClassLoader loader;
    private final KeyRing keys;
    private final RouteTable routes;
    private final EventGridWebhook webhook;
    private final TimerScheduler timers;
    private final int requestedPort;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile HttpServer server;
    private volatile ExecutorService workers;
    private volatile AccessLog accessLog;
    private volatile HttpFrontDoor frontDoor;
    private volatile Thread shutdownHook;
    private Consumer<String> accessLogSink = System.out::println;

    private LocalHost(Options options, LocalSettings settings, FunctionIndex index, AppClassLoader loader,
                      KeyRing keys, RouteTable routes, EventGridWebhook webhook, TimerScheduler timers) {
        this.options = options;
        this.settings = settings;
        this.index = index;
        this.loader = loader;
        this.keys = keys;
        this.routes = routes;
        this.webhook = webhook;
        this.timers = timers;
        this.requestedPort = options.port() != null ? options.port()
                : settings.localHttpPort().orElse(Options.DEFAULT_PORT);
    }

    /**
     * Loads and starts the host; returns once the listener is bound.
     *
     * @throws LocalHostException when the app cannot be loaded or the port cannot be bound
     */
    public static LocalHost start(Options options) {
        LocalHost host = load(options);
        try {
            return host.start();
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /**
     * Loads the app and checks everything that can fail before listening: the function.json
     * files, every entry point's parameters, {@code %SETTING%} references, schedules, keys and
     * routes. Nothing listens yet; call {@link #start()}, or {@link #close()} to discard it.
     *
     * @throws LocalHostException naming what is wrong
     */
    public static LocalHost load(Options options) {
        LocalSettings settings = LocalSettings.load(options.settingsFile(), options.environment());
        FunctionIndex index = FunctionIndex.read(options.appDir(), settings);
        List<Path> scripts = index.functions().stream().map(FunctionDefinition::scriptFile).distinct().toList();
        AppClassLoader loader = AppClassLoader.create(options.appDir(), scripts, LocalHost.class.getClassLoader());
        try {
            withContextLoader(loader, () -> HostSettingsHook.install(loader, settings.asMap()));
            List<EntryPoint> http = new ArrayList<>();
            List<EntryPoint> eventGrid = new ArrayList<>();
            List<EntryPoint> timer = new ArrayList<>();
            for (FunctionDefinition definition : index.functions()) {
                EntryPoint ep = EntryPoint.resolve(definition, loader);
                switch (definition.trigger().kind()) {
                    case HTTP -> http.add(ep);
                    case EVENT_GRID -> eventGrid.add(ep);
                    case TIMER -> timer.add(ep);
                }
            }
            RouteTable routes = RouteTable.build(index.routePrefix(), http);
            KeyRing keys = KeyRing.load(options.dataDir(), settings);
            TimerScheduler timers = new TimerScheduler(timer, Clock.systemDefaultZone(),
                    threads("greenlight-timer-", loader));
            return new LocalHost(options, settings, index, loader, keys, routes, new EventGridWebhook(eventGrid, keys),
                    timers);
        } catch (RuntimeException | Error e) {
            closeQuietly(loader);
            throw e;
        }
    }

    /**
     * Binds {@code localhost:<port>}, starts serving and starts the timers; returns once the
     * listener is bound.
     *
     * @throws LocalHostException when the port is in use
     */
    public LocalHost start() {
        if (closed.get()) {
            throw new IllegalStateException("this host is closed");
        }
        if (!started.compareAndSet(false, true)) {
            return this;
        }
        // The JDK server does not set TCP_NODELAY without it, and keep-alive responses then wait
        // ~40 ms for the peer's delayed ACK. Read once per JVM, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 1024);
        } catch (BindException e) {
            throw new LocalHostException("port " + requestedPort + " on localhost is in use; choose another port", e);
        } catch (IOException e) {
            throw new LocalHostException("cannot listen on port " + requestedPort + ": " + e.getMessage(), e);
        }
        int threads = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("greenlight-http-", loader));
        accessLog = options.accessLog() ? new AccessLog(accessLogSink) : null;
        frontDoor = new HttpFrontDoor(routes, webhook, keys, accessLog);
        frontDoor.port(s.getAddress().getPort());
        s.createContext("/", frontDoor);
        s.setExecutor(workers);
        s.start();
        server = s;
        timers.start();
        LOG.info(() -> "Greenlight local host listening on " + baseUri() + " (" + index.functions().size()
                + " functions)");
        return this;
    }

    /** Where access log lines go instead of standard output; call before {@link #start()}. */
    LocalHost accessLogTo(Consumer<String> sink) {
        this.accessLogSink = Objects.requireNonNull(sink, "sink");
        return this;
    }

    /** The bound port (the chosen one when started with port 0); -1 before {@link #start()}. */
    public int port() {
        HttpServer s = server;
        return s == null ? -1 : s.getAddress().getPort();
    }

    /** {@code http://localhost:<port>}. */
    public URI baseUri() {
        return URI.create("http://localhost:" + port());
    }

    /** The route prefix from host.json, without slashes ("api" by default; may be empty). */
    public String routePrefix() {
        return index.routePrefix();
    }

    /** The loaded functions, sorted by name. */
    public List<FunctionDefinition> functions() {
        return index.functions();
    }

    /**
     * One line per function as Core Tools lists them at startup, e.g.
     * {@code Infer: [POST] http://localhost:7071/api/v2/models/{model}/infer}; no keys.
     */
    public List<String> describeFunctions() {
        List<String> lines = new ArrayList<>();
        for (FunctionDefinition f : index.functions()) {
            String what = switch (f.trigger().kind()) {
                case HTTP -> {
                    FunctionDefinition.Http h = (FunctionDefinition.Http) f.trigger();
                    String path = routePrefix().isEmpty() ? h.route() : routePrefix() + "/" + h.route();
                    yield (h.methods().isEmpty() ? "[any]" : h.methods().toString()) + " " + baseUri() + "/" + path;
                }
                case EVENT_GRID -> "eventGridTrigger " + baseUri() + "/runtime/webhooks/eventgrid?functionName=" + f.name();
                case TIMER -> "timerTrigger " + ((FunctionDefinition.Timer) f.trigger()).schedule();
            };
            lines.add(f.name() + ": " + what);
        }
        return lines;
    }

    /** The function, admin and Event Grid keys (for the caller's own requests; never print them). */
    public KeyRing keys() {
        return keys;
    }

    /** The merged settings the app was given. */
    public LocalSettings settings() {
        return settings;
    }

    /**
     * Runs a timer function now on the calling thread, whatever its schedule.
     *
     * @throws LocalHostException when there is no such timer function, or it failed
     */
    public void triggerTimer(String functionName) {
        withContextLoader(loader, () -> {
            timers.runNow(functionName);
            return null;
        });
    }

    /** Closes this host when the JVM shuts down (Ctrl-C). */
    public LocalHost closeOnShutdown() {
        Thread hook = new Thread(this::close, "greenlight-local-host-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
        return this;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Stops taking requests, lets those in flight finish (2 s at most), then stops the server,
     * the timers and the workers, and closes the app's class loader. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            HttpFrontDoor door = frontDoor;
            if (door != null && !door.drain(GRACE)) {
                LOG.warning("requests still running after " + GRACE.toSeconds() + " s; stopping anyway");
            }
            HttpServer s = server;
            if (s != null) {
                s.stop(0);
            }
            timers.close();
            ExecutorService w = workers;
            if (w != null) {
                w.shutdown();
                if (!w.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    w.shutdownNow();
                }
            }

            AccessLog log = accessLog;
            if (log != null) {
                log.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            withContextLoader(loader, () -> {
                HostSettingsHook.stop(loader); // the app closes the pools and sessions it started
                return null;
            });
            closeQuietly(loader);
            removeShutdownHook();
            closedLatch.countDown();
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down.
            }
        }
    }

    private static void closeQuietly(AppClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the app class loader", e);
        }
    }

    /** Threads that see the app's class loader as context loader, as the worker's do. */
    private static ThreadFactory threads(String prefix, ClassLoader appLoader) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(appLoader);
            return t;
        };
    }

    private static <T> T withContextLoader(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
