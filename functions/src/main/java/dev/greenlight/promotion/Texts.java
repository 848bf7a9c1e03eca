package dev.greenlight.promotion;

/** Client-given strings inside error details are clipped, so a detail never echoes a huge input. */
final class Texts {
    private static final int MAX = 120;

    private Texts() {
    }

    static String clip(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
    }
}
