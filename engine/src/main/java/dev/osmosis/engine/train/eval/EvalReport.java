package dev.osmosis.engine.train.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The evaluation as a markdown table (printed, and put into the model card between markers). */
public final class EvalReport {
    public static final String BEGIN = "<!-- eval:begin -->";
    public static final String END = "<!-- eval:end -->";

    private EvalReport() {}

    public static String detectorLine(Tally t) {
        return String.format(Locale.ROOT, "detector on %d ground-truth renders: colour %s, shape %s, position %s,"
                + " size %s, object count %s", t.all.images(), Tally.percent(t.all.colour()),
                Tally.percent(t.all.shape()), Tally.percent(t.all.position()), Tally.percent(t.all.size()),
                Tally.percent(t.all.countRight()));
    }

    public static String roundTripLine(Tally t) {
        return String.format(Locale.ROOT, "autoencoder round trip of %d ground-truth scenes: colour %s, shape %s,"
                + " position %s, object count %s", t.all.images(), Tally.percent(t.all.colour()),
                Tally.percent(t.all.shape()), Tally.percent(t.all.position()), Tally.percent(t.all.countRight()));
    }

    /** @param detector and {@code roundTrip} may be null when those checks were skipped */
    public static String markdown(ShapesEval.Result r, Tally detector, Tally roundTrip, Path model) {
        ShapesEval.Settings s = r.settings();
        Tally t = r.tally();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Model `%s`, %d images (%d held-out captions x %d seeds), %s, %d steps,"
                + " cfg %s, %dx%d, %.2f s per image on this machine.%n%n", model.getFileName(), t.all.images(),
                (t.all.images() + s.seedsPerPrompt() - 1) / s.seedsPerPrompt(), s.seedsPerPrompt(), s.sampler(),
                s.steps(), trim(s.cfg()), s.size(), s.size(), r.secondsPerImage()));
        out.append("| prompts | images | objects | colour | shape | position | all three | image fully right |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        row(out, "all", t.all);
        row(out, "one object", t.single);
        row(out, "two objects", t.two);
        row(out, "with a held-out colour-shape pair", t.heldOut);
        row(out, "new combinations of seen pairs", t.novel);
        out.append(String.format(Locale.ROOT, "%nTwo-object prompts with both objects right: **%s** (%d images)."
                + " Size of single objects: %s. Object count right: %s.%n", Tally.percent(t.two.imagesRight()),
                t.two.images(), Tally.percent(t.single.size()), Tally.percent(t.all.countRight())));
        if (detector != null) {
            out.append("\nThe detector itself, ").append(detectorLine(detector).replaceFirst("^detector ", ""))
                    .append(".\n");
        }
        if (roundTrip != null) {
            out.append("The ").append(roundTripLine(roundTrip)).append(" (an upper bound for the diffusion model).\n");
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Tally.Group g) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s |%n", name, g.images(),
                g.objects(), Tally.percent(g.colour()), Tally.percent(g.shape()), Tally.percent(g.position()),
                Tally.percent(g.allThree()), Tally.percent(g.imagesRight())));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Replaces the text between {@link #BEGIN} and {@link #END} (appends both when absent). */
    public static void writeIntoCard(Path card, String table) throws IOException {
        String text = Files.exists(card) ? Files.readString(card) : "";
        String block = BEGIN + "\n" + table + END;
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + block + text.substring(end + END.length())
                : text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + block + "\n";
        Files.writeString(card, updated);
    }
}
