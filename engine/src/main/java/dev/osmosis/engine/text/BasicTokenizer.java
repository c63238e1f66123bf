package dev.osmosis.engine.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text clean-up transformers' slow CLIPTokenizer applies when ftfy is not installed (its
 * BasicTokenizer with accents kept and no punctuation splitting), which is how the SD reference
 * ids were made: drop NUL, U+FFFD and other control/format characters, turn whitespace into
 * spaces, isolate CJK ideographs, NFC-normalise, lower-case, and collapse runs of whitespace.
 */
final class BasicTokenizer {
    private BasicTokenizer() {}

    /** The cleaned text: words separated by single spaces, no leading or trailing space. */
    static String normalize(String text) {
        String spaced = Normalizer.normalize(isolateIdeographs(clean(text)), Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(spaced.length());
        StringBuilder word = new StringBuilder();
        spaced.codePoints().forEach(cp -> {
            if (isSeparator(cp)) {
                appendWord(out, word);
            } else {
                word.appendCodePoint(cp);
            }
        });
        appendWord(out, word);
        return out.toString();
    }

    private static void appendWord(StringBuilder out, StringBuilder word) {
        if (word.isEmpty()) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(' ');
        }
        // lower-cased word by word, as Python does, so a final sigma is decided within its word
        out.append(word.toString().toLowerCase(Locale.ROOT));
        word.setLength(0);
    }

    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR) {
                out.append(' ');
            } else if (cp != 0 && cp != 0xFFFD && !isOtherCategory(cp)) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Unicode general category C* (Cc, Cf, Cs, Co, Cn). */
    private static boolean isOtherCategory(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    private static String isolateIdeographs(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (isCjkIdeograph(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** The CJK Unified Ideograph blocks BERT's tokenizer splits on (not kana or hangul). */
    private static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** What Python's str.split() breaks on, among the characters {@link #clean} lets through. */
    private static boolean isSeparator(int cp) {
        int type = Character.getType(cp);
        return cp == ' ' || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
