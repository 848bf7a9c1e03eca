package dev.greenlight.local.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one rule for the model names and versions the CLI accepts, checked when the arguments
 * are parsed, before anything is written or sent: the rule the settings and the registry use
 * (a name or version becomes a folder and a URL segment, so never {@code ..}).
 */
final class Names {
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Names() {
    }

    static String model(String value) {
        return check(value, MODEL, "model name", 255);
    }

    static String version(String value) {
        return check(value, VERSION, "version", 64);
    }

    private static String check(String value, Pattern rule, String what, int max) {
        if (!rule.matcher(value).matches() || value.contains("..")) {
            throw new TypeConversionException("'" + value + "' is not a valid " + what + ": use 1 to " + max
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'");
        }
        return value;
    }

    /** Converts {@code --model}. */
    static final class Model implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return model(value);
        }
    }

    /** Converts {@code --version}, the model version in every command that takes one. */
    static final class Version implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return version(value);
        }
    }
}
