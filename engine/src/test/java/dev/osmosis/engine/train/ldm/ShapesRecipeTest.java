package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapesRecipeTest {
    @Test
    void jsonRoundTripKeepsTheModel() {
        ShapesRecipe recipe = ShapesRecipe.defaults();
        ShapesRecipe back = ShapesRecipe.fromJson(recipe.toJson());
        assertEquals(recipe, back);
        assertTrue(recipe.sameModelAs(back.withSteps(1, 2)));
    }

    @Test
    void vPredictionStartsAtItsStep() {
        ShapesRecipe recipe = ShapesRecipe.defaults();
        DiffusionTrainer.Settings settings = recipe.diffusion();
        long from = recipe.vPredictionFrom();
        assertEquals(Objective.EPSILON, settings.objective(0));
        assertEquals(Objective.EPSILON, settings.objective(from - 1));
        assertEquals(Objective.V_ZERO_TERMINAL_SNR, settings.objective(from));
    }

    @Test
    void aRecipeWrittenBeforeVPredictionStaysEpsilon() {
        String json = ShapesRecipe.defaults().toJson().replaceAll("\\s*\"vPredictionFrom\" : [0-9]+,", "");
        assertFalse(json.contains("vPredictionFrom"), json);
        ShapesRecipe old = ShapesRecipe.fromJson(json);
        assertNull(old.vPredictionFrom());
        assertEquals(Objective.EPSILON, old.diffusion().objective(1_000_000));
        assertFalse(old.sameModelAs(ShapesRecipe.defaults()));
    }
}
