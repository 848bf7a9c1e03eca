package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app settings as the Functions host would give them: {@code local.settings.json}
 * {@code Values}, overlaid by the process environment (the environment wins, as with Core
 * Tools). Built once at startup; immutable.
 */
public final class LocalSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("%([^%\\s]+)%");

    private final Map<String, String> values;
    private final OptionalInt localHttpPort;

    private LocalSettings(Map<String, String> values, OptionalInt localHttpPort) {
        this.values = Map.copyOf(values);
        this.localHttpPort = localHttpPort;
    }

    /**
     * Reads {@code settingsFile} (may be null or absent: then only the environment counts) and
     * overlays {@code environment}.
     *
     * @throws LocalHostException when the file exists but is not valid JSON, or is encrypted
     */
    public static LocalSettings load(Path settingsFile, Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>();
        OptionalInt port = OptionalInt.empty();
        if (settingsFile != null && Files.isRegularFile(settingsFile)) {
            JsonNode root = readJson(settingsFile);
            if (root.path("IsEncrypted").asBoolean(false)) {
                throw new LocalHostException(settingsFile + " is encrypted (IsEncrypted: true);"
                        + " the local host reads plain Values only");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Values").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    merged.put(e.getKey(), e.getValue().asText());
                }
            }
            JsonNode portNode = root.path("Host").path("LocalHttpPort");
            if (portNode.canConvertToInt()) {
                port = OptionalInt.of(portNode.asInt());
            }
        }
        merged.putAll(environment);
        return new LocalSettings(merged, port);
    }

    /** Settings from a map only, as if there were no file and this were the environment. */
    public static LocalSettings of(Map<String, String> values) {
        return new LocalSettings(values, OptionalInt.empty());
    }

    /** The value of {@code name}; empty when unset or blank. */
    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Every merged setting, unmodifiable. */
    public Map<String, String> asMap() {
        return values;
    }

    /** {@code Host.LocalHttpPort} from the settings file, if it had one. */
    public OptionalInt localHttpPort() {
        return localHttpPort;
    }

    /**
     * Replaces each {@code %NAME%} in a binding value by the setting {@code NAME}, as the host
     * does for binding expressions.
     *
     * @throws LocalHostException naming the setting and the function when a setting is unset
     */
    String resolve(String bindingValue, String functionName) {
        if (bindingValue == null || bindingValue.indexOf('%') < 0) {
            return bindingValue;
        }
        Matcher m = PLACEHOLDER.matcher(bindingValue);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = get(name).orElseThrow(() -> new LocalHostException("function " + functionName
                    + ": setting " + name + " is not set (its binding uses %" + name + "%);"
                    + " add it to local.settings.json Values or the environment"));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new LocalHostException("cannot read settings file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // Values may hold secrets (keys, connection strings): names only.
        return "LocalSettings" + values.keySet();
    }
}
