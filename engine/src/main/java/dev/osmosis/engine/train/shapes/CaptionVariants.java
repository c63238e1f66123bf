package dev.osmosis.engine.train.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ways a person might describe a scene, for training: the full caption of {@link Scene#caption()}
 * and shorter ones that leave out what they do not care about ("a red star on a yellow background"
 * has no position; "a small blue ring" no background), with two objects in either order. Every
 * variant is true of the image; what it leaves out the model learns to choose freely.
 */
public final class CaptionVariants {
    /** Chances that a variant names each attribute. */
    public record Odds(double size, double sizeWithTwo, double position, double background, double swapOrder) {
        /** Most captions stay complete (the evaluation asks with complete ones). */
        public static Odds training() {
            return new Odds(0.75, 0.25, 0.85, 0.8, 0.5);
        }
    }

    private final Odds odds;

    public CaptionVariants(Odds odds) {
        this.odds = odds;
    }

    public String sample(Scene scene, SplittableRandom random) {
        List<SceneObject> objects = new ArrayList<>(scene.objects());
        if (objects.size() == 2 && random.nextDouble() < odds.swapOrder()) {
            objects = List.of(objects.get(1), objects.get(0));
        }
        double sizeOdds = objects.size() == 1 ? odds.size() : odds.sizeWithTwo();
        StringBuilder caption = new StringBuilder();
        for (SceneObject o : objects) {
            if (!caption.isEmpty()) {
                caption.append(" and ");
            }
            caption.append("a ");
            if (random.nextDouble() < sizeOdds) {
                caption.append(o.size().word()).append(' ');
            }
            caption.append(o.colour().word()).append(' ').append(o.shape().word());
            if (random.nextDouble() < odds.position()) {
                caption.append(' ').append(o.position().phrase);
            }
        }
        if (random.nextDouble() < odds.background()) {
            caption.append(' ').append(scene.background().phrase());
        }
        return caption.toString();
    }

    /** Every word a caption of this world can contain, for building the text encoder's working vocabulary. */
    public static List<String> words() {
        List<String> words = new ArrayList<>(List.of("a", "and", "on", "background", "gradient", "to"));
        for (Palette p : Palette.values()) {
            words.add(p.word());
        }
        for (ShapeKind s : ShapeKind.values()) {
            words.add(s.word());
        }
        for (SizeClass s : SizeClass.values()) {
            words.add(s.word());
        }
        for (GridPosition g : GridPosition.values()) {
            words.addAll(List.of(g.phrase.split(" ")));
        }
        return words.stream().distinct().toList();
    }
}
