package dev.osmosis.engine.train.shapes;

import java.util.List;
import java.util.stream.Collectors;

/** A scene description: one or two objects on a background, and the caption that says so. */
public record Scene(List<SceneObject> objects, Background background) {
    public Scene {
        objects = List.copyOf(objects);
    }

    /** "a small red circle at the top left on a blue background"; sizes are named for single objects. */
    public String caption() {
        boolean withSize = objects.size() == 1;
        return objects.stream().map(o -> o.phrase(withSize)).collect(Collectors.joining(" and "))
                + " " + background.phrase();
    }
}
