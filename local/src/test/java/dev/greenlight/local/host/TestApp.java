package dev.greenlight.local.host;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.local.host.testapp.Echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Stages the test Functions app the way azure-functions-maven-plugin does: the app jar, lib/
 * (holding its own copy of the Azure Functions library, which the host must not use), host.json,
 * and one folder with a function.json per function.
 */
final class TestApp {

    static final String JAR = "testapp-1.0.jar";
    private static final String HOOK_SOURCE = "/testapp/dev/greenlight/config/HostSettings.java";

    /** The standard functions, name → function.json, as the Maven plugin writes them. */
    static final Map<String, String> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("Echo", http("Echo", "echo/{name}", "\"GET\", \"POST\"", "FUNCTION"));
        FUNCTIONS.put("Reset", http("Reset", "admin/reset", "\"POST\"", "ADMIN"));
        FUNCTIONS.put("Boom", http("Boom", "boom", "\"GET\"", "ANONYMOUS"));
        FUNCTIONS.put("Texts", http("Texts", "texts/{kind:alpha}", "\"GET\"", "ANONYMOUS"));
        FUNCTIONS.put("Items", http("Items", "items/{id:int}/{view?}", "\"GET\"", "ANONYMOUS"));
        FUNCTIONS.put("Upload", http("Upload", "upload", "\"POST\"", "ANONYMOUS"));
        FUNCTIONS.put("Setting", http("Setting", "settings/{name}", "\"GET\"", "ANONYMOUS"));
        FUNCTIONS.put("OnEvent", function("OnEvent",
                "{ \"type\" : \"eventGridTrigger\", \"direction\" : \"in\", \"name\" : \"event\" }"));
        FUNCTIONS.put("Tick", function("Tick",
                "{ \"type\" : \"timerTrigger\", \"direction\" : \"in\", \"name\" : \"timer\", \"schedule\" : \"%TICK_SCHEDULE%\" }"));
    }

    private TestApp() {
    }

    /** Stages the standard app into {@code dir} with host.json's default route prefix. */
    static Path stage(Path dir) throws IOException {
        return stage(dir, "api", FUNCTIONS);
    }

    /** Stages the given functions into {@code dir}; {@code routePrefix} null leaves host.json without one. */
    static Path stage(Path dir, String routePrefix, Map<String, String> functions) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        writeAppJar(dir.resolve(JAR));
        copyJarOf(HttpTrigger.class, dir.resolve("lib"));
        copyJarOf(HttpRequestMessage.class, dir.resolve("lib"));
        String http = routePrefix == null ? "{}" : "{ \"http\" : { \"routePrefix\" : \"" + routePrefix + "\" } }";
        Files.writeString(dir.resolve("host.json"), "{ \"version\" : \"2.0\", \"extensions\" : " + http + " }");
        for (Map.Entry<String, String> f : functions.entrySet()) {
            writeFunction(dir, f.getKey(), f.getValue());
        }
        return dir;
    }

    static void writeFunction(Path appDir, String name, String functionJson) throws IOException {
        Files.createDirectories(appDir.resolve(name));
        Files.writeString(appDir.resolve(name).resolve("function.json"), functionJson);
    }

    static String http(String name, String route, String methods, String authLevel) {
        return function(name, "{ \"type\" : \"httpTrigger\", \"direction\" : \"in\", \"name\" : \"req\", \"route\" : \""
                + route + "\", \"methods\" : [ " + methods + " ], \"authLevel\" : \"" + authLevel + "\" }, "
                + "{ \"type\" : \"http\", \"direction\" : \"out\", \"name\" : \"$return\" }");
    }

    static String function(String name, String bindings) {
        return "{\n  \"scriptFile\" : \"../" + JAR + "\",\n  \"entryPoint\" : \"dev.greenlight.local.host.testapp."
                + name + ".run\",\n  \"bindings\" : [ " + bindings + " ]\n}";
    }

    /** The compiled test app plus its {@code dev.greenlight.config.HostSettings} hook, as one jar. */
    private static void writeAppJar(Path jar) throws IOException {
        Path classes = codeSource(Echo.class);
        Path hook = compiledHook(classes);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
            addTree(jos, classes, classes.resolve("dev/greenlight/local/host/testapp"));
            addTree(jos, hook, hook);
        }
    }

    private static void addTree(JarOutputStream jos, Path root, Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
        }
    }

    private static Path hookClasses;

    /**
     * Compiles the test app's HostSettings hook from test resources, once per JVM. It is not in
     * the test sources so that no dev.greenlight.config.HostSettings sits on the host's own class
     * path, where it would shadow the Functions app's real one once that is a dependency.
     */
    private static synchronized Path compiledHook(Path testClasses) throws IOException {
        if (hookClasses == null) {
            Path work = Files.createTempDirectory("greenlight-testapp-hook");
            Path source = work.resolve("src/dev/greenlight/config/HostSettings.java");
            Files.createDirectories(source.getParent());
            try (InputStream in = TestApp.class.getResourceAsStream(HOOK_SOURCE)) {
                Files.copy(Objects.requireNonNull(in, HOOK_SOURCE), source);
            }
            Path out = Files.createDirectories(work.resolve("classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int rc = javac.run(null, null, null, "--release", "17", "-classpath", testClasses.toString(),
                    "-d", out.toString(), source.toString());
            if (rc != 0) {
                throw new IllegalStateException("could not compile " + HOOK_SOURCE);
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.forEach(f -> f.toFile().deleteOnExit()); // parents first: deleted last
            }
            hookClasses = out;
        }
        return hookClasses;
    }

    private static void copyJarOf(Class<?> type, Path lib) throws IOException {
        Path jar = codeSource(type);
        Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for a host on a free port over {@code appDir}, keys under {@code dataDir}, no settings file. */
    static LocalHost.Options options(Path appDir, Path dataDir, Map<String, String> environment) {
        return LocalHost.Options.of(appDir).withPort(0).withDataDir(dataDir).withSettingsFile(null)
                .withEnvironment(environment).withAccessLog(false);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
