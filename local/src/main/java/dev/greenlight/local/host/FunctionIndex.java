package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The app as the Functions host sees it: every {@code <Function>/function.json} under the
 * staged app folder plus {@code host.json}'s route prefix. These generated files are the only
 * source of routes, methods, auth levels and schedules; the local host keeps no second table.
 */
final class FunctionIndex {

    static final String DEFAULT_ROUTE_PREFIX = "api";

    private static final Logger LOG = Logger.getLogger(FunctionIndex.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String routePrefix;
    private final List<FunctionDefinition> functions;

    private FunctionIndex(String routePrefix, List<FunctionDefinition> functions) {
        this.routePrefix = routePrefix;
        this.functions = List.copyOf(functions);
    }

    /** The route prefix without slashes; empty when host.json sets it to "". */
    String routePrefix() {
        return routePrefix;
    }

    /** The enabled functions, sorted by name. */
    List<FunctionDefinition> functions() {
        return functions;
    }

    /**
     * Reads the staged app folder.
     *
     * @throws LocalHostException when the folder has no functions or a function.json is unusable
     */
    static FunctionIndex read(Path appDir, LocalSettings settings) {
        if (!Files.isDirectory(appDir)) {
            throw new LocalHostException("app folder " + appDir + " does not exist;"
                    + " package the Functions app first (it stages into functions/target/azure-functions/<app>)");
        }
        List<FunctionDefinition> functions = new ArrayList<>();
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Path file : functionJsonFiles(appDir)) {
            String name = file.getParent().getFileName().toString();
            JsonNode json = readJson(file);
            if (isDisabled(name, json, settings)) {
                LOG.info(() -> "function " + name + " is disabled; not loading it");
                continue;
            }
            if (!names.add(name)) {
                throw new LocalHostException("two functions are named " + name + " (names ignore case)");
            }
            functions.add(parse(name, file, json, settings));
        }
        if (functions.isEmpty()) {
            throw new LocalHostException("no enabled function found under " + appDir
                    + " (expected <Function>/function.json files)");
        }
        return new FunctionIndex(routePrefix(appDir.resolve("host.json")), functions);
    }

    private static List<Path> functionJsonFiles(Path appDir) {
        try (Stream<Path> dirs = Files.list(appDir)) {
            return dirs.filter(Files::isDirectory)
                    .map(dir -> dir.resolve("function.json"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LocalHostException("cannot list app folder " + appDir + ": " + e.getMessage(), e);
        }
    }

    /** The host's switch {@code AzureWebJobs.<Function>.Disabled}, or {@code disabled} in function.json. */
    private static boolean isDisabled(String name, JsonNode json, LocalSettings settings) {
        boolean bySetting = settings.get("AzureWebJobs." + name + ".Disabled")
                .map(v -> v.trim().equalsIgnoreCase("true") || v.trim().equals("1"))
                .orElse(false);
        return bySetting || json.path("disabled").asBoolean(false);
    }

    private static FunctionDefinition parse(String name, Path file, JsonNode json, LocalSettings settings) {
        String scriptFile = requiredText(json, "scriptFile", name);
        Path script = file.getParent().resolve(scriptFile).normalize();
        if (!Files.isRegularFile(script)) {
            throw new LocalHostException("function " + name + ": scriptFile " + script + " does not exist");
        }
        String entryPoint = requiredText(json, "entryPoint", name);
        int dot = entryPoint.lastIndexOf('.');
        if (dot <= 0 || dot == entryPoint.length() - 1) {
            throw new LocalHostException("function " + name + ": entryPoint must be <class>.<method>, was "
                    + entryPoint);
        }
        return new FunctionDefinition(name, script, entryPoint.substring(0, dot), entryPoint.substring(dot + 1),
                trigger(name, json.path("bindings"), settings));
    }

    private static FunctionDefinition.Trigger trigger(String name, JsonNode bindings, LocalSettings settings) {
        FunctionDefinition.Trigger trigger = null;
        for (JsonNode binding : bindings) {
            String type = binding.path("type").asText("");
            String direction = binding.path("direction").asText("");
            if (type.equalsIgnoreCase("http") && direction.equalsIgnoreCase("out")) {
                continue; // the HTTP response: the entry point's return value
            }
            if (!type.toLowerCase(Locale.ROOT).endsWith("trigger")) {
                throw new LocalHostException("function " + name + ": binding type " + type
                        + " is not supported by the local host (only HTTP, Event Grid and timer triggers)");
            }
            if (trigger != null) {
                throw new LocalHostException("function " + name + " has more than one trigger");
            }
            trigger = switch (type.toLowerCase(Locale.ROOT)) {
                case "httptrigger" -> http(name, binding, settings);
                case "eventgridtrigger" -> new FunctionDefinition.EventGrid();
                case "timertrigger" -> timer(name, binding, settings);
                default -> throw new LocalHostException("function " + name + ": trigger type " + type
                        + " is not supported by the local host (only HTTP, Event Grid and timer triggers)");
            };
        }
        if (trigger == null) {
            throw new LocalHostException("function " + name + " has no trigger binding in its function.json");
        }
        return trigger;
    }

    private static FunctionDefinition.Http http(String name, JsonNode binding, LocalSettings settings) {
        String route = binding.path("route").asText("");
        route = settings.resolve(route, name);
        route = trimSlashes(route.isBlank() ? name : route);
        Set<String> methods = new LinkedHashSet<>();
        for (JsonNode m : binding.path("methods")) {
            methods.add(m.asText().trim().toUpperCase(Locale.ROOT));
        }
        AuthLevel level = AuthLevel.parse(binding.path("authLevel").asText(null), name);
        return new FunctionDefinition.Http(route, methods, level);
    }

    private static FunctionDefinition.Timer timer(String name, JsonNode binding, LocalSettings settings) {
        String schedule = binding.path("schedule").asText("");
        if (schedule.isBlank()) {
            throw new LocalHostException("function " + name + ": timerTrigger has no schedule");
        }
        return new FunctionDefinition.Timer(settings.resolve(schedule, name).trim(),
                binding.path("runOnStartup").asBoolean(false));
    }

    private static String routePrefix(Path hostJson) {
        if (!Files.isRegularFile(hostJson)) {
            return DEFAULT_ROUTE_PREFIX;
        }
        JsonNode prefix = readJson(hostJson).path("extensions").path("http").path("routePrefix");
        return prefix.isTextual() ? trimSlashes(prefix.asText()) : DEFAULT_ROUTE_PREFIX;
    }

    private static String requiredText(JsonNode json, String field, String functionName) {
        String value = json.path(field).asText("");
        if (value.isBlank()) {
            throw new LocalHostException("function " + functionName + ": function.json has no " + field);
        }
        return value.trim();
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end).trim();
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LocalHostException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
