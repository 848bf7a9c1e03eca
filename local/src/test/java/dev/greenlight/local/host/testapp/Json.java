package dev.greenlight.local.host.testapp;

/** Just enough JSON for the test app, which has no JSON library in its lib/. */
final class Json {

    private Json() {
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
