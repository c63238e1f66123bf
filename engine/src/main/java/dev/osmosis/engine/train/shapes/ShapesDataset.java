package dev.osmosis.engine.train.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The procedural shapes world: scene {@code index} of a dataset is a pure function of (seed, index),
 * so any scene can be regenerated without storing images.
 *
 * <p>Some colour-shape pairs are held out of the training split (one pair per shape, each shape and
 * colour still seen in training), so the evaluation can ask for combinations never seen together.
 */
public final class ShapesDataset {
    public enum Split { TRAIN, HELD_OUT }

    public static final int DEFAULT_SIZE = 128;
    private static final int MAX_ATTEMPTS = 10_000;
    /** Least RGB distance between an object and the background behind it (palette colours are >= 80 apart). */
    static final double MIN_CONTRAST = 60;

    private final long seed;
    private final Split split;

    public ShapesDataset(long seed, Split split) {
        this.seed = seed;
        this.split = split;
    }

    /** Held out: for shape s, the colour (3s + 1) mod |palette|; 7 of the 70 pairs. */
    public static boolean isHeldOut(ShapeKind shape, Palette colour) {
        return colour.ordinal() == (3 * shape.ordinal() + 1) % Palette.values().length;
    }

    public Scene scene(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Background background = background(random);
        int count = random.nextInt(4) == 0 ? 2 : 1;
        List<SceneObject> objects = new ArrayList<>(count);
        for (int attempt = 0; objects.size() < count; attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("scene " + index + " of seed " + seed + " has no valid layout");
            }
            SceneObject candidate = object(random, background, objects);
            if (candidate != null) {
                objects.add(candidate);
            }
        }
        return new Scene(objects, background);
    }

    public RenderedScene render(long index) {
        return SceneRenderer.render(scene(index), DEFAULT_SIZE);
    }

    private static Background background(SplittableRandom random) {
        Palette[] colours = Palette.values();
        Palette first = colours[random.nextInt(colours.length)];
        if (random.nextInt(3) != 0) {
            return new Background(first, null);
        }
        Palette second;
        do {
            second = colours[random.nextInt(colours.length)];
        } while (second == first);
        return new Background(first, second);
    }

    /**
     * A gradient passes through colours between its ends (red to yellow passes orange): keep objects
     * at least {@link #MIN_CONTRAST} away in RGB from the background at every row they cover, so
     * each is visible to a person and to plain image analysis.
     */
    static boolean standsOut(SceneObject o, Background background) {
        double top = Math.max(0, o.centerY() - o.size().radius);
        double bottom = Math.min(1, o.centerY() + o.size().radius);
        for (int i = 0; i <= 8; i++) {
            int[] bg = background.rgbAt(top + (bottom - top) * i / 8);
            double dr = bg[0] - o.colour().r;
            double dg = bg[1] - o.colour().g;
            double db = bg[2] - o.colour().b;
            if (Math.sqrt(dr * dr + dg * dg + db * db) < MIN_CONTRAST) {
                return false;
            }
        }
        return true;
    }

    /** Objects keep a small gap, so each stays whole and countable. */
    private static boolean overlaps(SceneObject a, SceneObject b) {
        double distance = Math.hypot(a.centerX() - b.centerX(), a.centerY() - b.centerY());
        return distance < a.size().radius + b.size().radius + 0.03;
    }

    /** A random object that fits the split, stands out from the background and avoids the others; null to retry. */
    private SceneObject object(SplittableRandom random, Background background, List<SceneObject> others) {
        ShapeKind shape = ShapeKind.values()[random.nextInt(ShapeKind.values().length)];
        Palette colour = Palette.values()[random.nextInt(Palette.values().length)];
        SizeClass size = SizeClass.values()[random.nextInt(SizeClass.values().length)];
        GridPosition position = GridPosition.values()[random.nextInt(GridPosition.values().length)];
        if (background.uses(colour) || isHeldOut(shape, colour) != (split == Split.HELD_OUT && others.isEmpty())) {
            return null;
        }
        double offsetX = (random.nextDouble() - 0.5) * 0.04;
        double offsetY = (random.nextDouble() - 0.5) * 0.04;
        SceneObject candidate = new SceneObject(shape, colour, size, position, offsetX, offsetY);
        if (!standsOut(candidate, background)) {
            return null;
        }
        for (SceneObject other : others) {
            if (other.colour() == colour || other.position() == position || overlaps(other, candidate)) {
                return null;
            }
        }
        return candidate;
    }
}
