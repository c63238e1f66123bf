package dev.osmosis.engine.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.train.shapes.Background;
import dev.osmosis.engine.train.shapes.GridPosition;
import dev.osmosis.engine.train.shapes.Palette;
import dev.osmosis.engine.train.shapes.Scene;
import dev.osmosis.engine.train.shapes.SceneObject;
import dev.osmosis.engine.train.shapes.SceneRenderer;
import dev.osmosis.engine.train.shapes.ShapeKind;
import dev.osmosis.engine.train.shapes.SizeClass;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeDetectorTest {
    private final ShapeDetector detector = new ShapeDetector();

    @Test
    void readsGroundTruthRendersAlmostPerfectly() {
        Tally t = DetectorCheck.run(400);
        assertTrue(t.all.colour() >= 0.99, EvalReport.detectorLine(t));
        assertTrue(t.all.shape() >= 0.98, EvalReport.detectorLine(t));
        assertTrue(t.all.position() >= 0.99, EvalReport.detectorLine(t));
        assertTrue(t.all.countRight() >= 0.99, EvalReport.detectorLine(t));
    }

    @Test
    void everyShapeColourAndCellIsRecognisedAtEverySize() {
        for (ShapeKind shape : ShapeKind.values()) {
            for (SizeClass size : SizeClass.values()) {
                GridPosition cell = GridPosition.values()[(shape.ordinal() + size.ordinal()) % 9];
                Palette colour = Palette.values()[(shape.ordinal() * 3 + size.ordinal()) % 10];
                Palette bg = colour == Palette.BLUE ? Palette.WHITE : Palette.BLUE;
                SceneObject o = new SceneObject(shape, colour, size, cell, 0.01, -0.01);
                var found = detector.detect(render(new Scene(List.of(o), new Background(bg, null))));
                assertEquals(1, found.size(), shape + " " + size);
                var d = found.get(0);
                assertEquals(shape, d.shape(), size + " " + shape + " " + d.features());
                assertEquals(colour, d.colour());
                assertEquals(cell, d.position());
                assertEquals(size, d.size(), shape + " " + size);
            }
        }
    }

    @Test
    void anEmptyImageHasNoObjectsAndMissingObjectsScoreAsWrong() {
        var found = detector.detect(render(new Scene(List.of(), new Background(Palette.RED, Palette.YELLOW))));
        assertTrue(found.isEmpty());
        SceneObject wanted = new SceneObject(ShapeKind.STAR, Palette.BLUE, SizeClass.LARGE, GridPosition.CENTER, 0, 0);
        List<ObjectMatch> m = ObjectMatch.match(List.of(wanted), found);
        assertNull(m.get(0).detected());
        assertTrue(!m.get(0).colour() && !m.get(0).shape() && !m.get(0).position());
    }

    @Test
    void objectsAreAssignedToThePromptInTheirBestReading() {
        SceneObject star = new SceneObject(ShapeKind.STAR, Palette.GREEN, SizeClass.LARGE, GridPosition.LEFT, 0, 0);
        SceneObject square = new SceneObject(ShapeKind.SQUARE, Palette.RED, SizeClass.SMALL, GridPosition.RIGHT, 0, 0);
        var found = detector.detect(render(new Scene(List.of(star, square), new Background(Palette.WHITE, null))));
        // asked in the other order: the match follows the objects, not the order
        List<ObjectMatch> m = ObjectMatch.match(List.of(square, star), found);
        assertTrue(m.get(0).allRight() && m.get(1).allRight());
        // a swapped colour binding is wrong in colour only
        SceneObject redStar = new SceneObject(ShapeKind.STAR, Palette.RED, SizeClass.LARGE, GridPosition.LEFT, 0, 0);
        SceneObject greenSquare = new SceneObject(ShapeKind.SQUARE, Palette.GREEN, SizeClass.SMALL,
                GridPosition.RIGHT, 0, 0);
        List<ObjectMatch> swapped = ObjectMatch.match(List.of(redStar, greenSquare), found);
        assertTrue(swapped.stream().noneMatch(ObjectMatch::colour));
        assertTrue(swapped.stream().allMatch(x -> x.shape() && x.position()));
    }

    private static BufferedImage render(Scene scene) {
        return SceneRenderer.render(scene, 128).image();
    }
}
