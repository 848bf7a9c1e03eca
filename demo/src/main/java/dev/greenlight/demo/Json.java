package dev.greenlight.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.List;

/** The JSON forms this module writes: compact label arrays in ONNX metadata, an indented manifest on disk. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // Explicit "\n" instead of the platform separator so the manifest is identical whatever OS builds it.
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /** {@code ["a","b"]}: the format of the {@code labels} metadata entry. */
    static String array(List<String> values) {
        return write(MAPPER.writer(), values);
    }

    static String pretty(Object value) {
        return write(PRETTY, value) + "\n";
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value, e);
        }
    }
}
