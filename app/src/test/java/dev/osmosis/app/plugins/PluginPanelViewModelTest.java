package dev.osmosis.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.store.Database;
import dev.osmosis.app.store.SettingsStore;
import dev.osmosis.app.testing.FakePlugin;
import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import dev.osmosis.engine.plugin.PluginFamily;
import dev.osmosis.engine.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginPanelViewModelTest {
    @TempDir
    Path dir;

    private static PluginRegistry registry() {
        return new PluginRegistry(List.of(new FakePlugin("deepcache", PluginFamily.ACCELERATOR),
                new FakePlugin("edges", PluginFamily.CONDITION)));
    }

    @Test
    void noPluginsIsAnHonestEmptyPanel() throws Exception {
        try (Database db = Database.open(dir.resolve("s.db"))) {
            PluginPanelViewModel vm = new PluginPanelViewModel(new PluginRegistry(List.of()), new SettingsStore(db));
            assertTrue(vm.isEmpty());
            assertTrue(vm.requests().isEmpty());
        }
    }

    @Test
    void switchedOnPluginsBecomeRequestsWithTheirChangedSettings() throws Exception {
        try (Database db = Database.open(dir.resolve("s.db"))) {
            PluginPanelViewModel vm = new PluginPanelViewModel(registry(), new SettingsStore(db));
            assertTrue(vm.requests().isEmpty());
            vm.enabledProperty("deepcache").set(true);
            vm.state("deepcache").set("interval", "5");
            vm.state("deepcache").set("mode", "exact");
            assertEquals(List.of(new PluginRequest("deepcache", Map.of("interval", "5", "mode", "exact"))), vm.requests());
            assertEquals(1, vm.enabledCountProperty().get());
        }
    }

    @Test
    void aBadValueIsFlaggedAndStopsTheRequestWithTheReason() throws Exception {
        try (Database db = Database.open(dir.resolve("s.db"))) {
            PluginPanelViewModel vm = new PluginPanelViewModel(registry(), new SettingsStore(db));
            PluginState s = vm.state("deepcache");
            s.set("interval", "99");
            assertTrue(s.problems().get("interval").contains("from 1 to 10"), s.problems().toString());
            vm.enabledProperty("deepcache").set(true);
            var e = assertThrows(IllegalArgumentException.class, vm::requests);
            assertTrue(e.getMessage().contains("deepcache") && e.getMessage().contains("interval"), e.getMessage());
            s.set("interval", "4");
            assertFalse(s.problems().containsKey("interval"));
            assertEquals(1, vm.requests().size());
        }
    }

    @Test
    void applyingRestoredPluginsSwitchesExactlyThoseAndNamesUnknownOnes() throws Exception {
        try (Database db = Database.open(dir.resolve("s.db"))) {
            PluginPanelViewModel vm = new PluginPanelViewModel(registry(), new SettingsStore(db));
            vm.enabledProperty("edges").set(true);
            List<String> unknown = vm.apply(List.of(new PluginRequest("deepcache", Map.of("interval", "2")),
                    new PluginRequest("membrane-x", Map.of())));
            assertEquals(List.of("membrane-x"), unknown);
            assertTrue(vm.state("deepcache").isEnabled());
            assertFalse(vm.state("edges").isEnabled());
            assertEquals("2", vm.state("deepcache").values().get("interval"));
        }
    }

    @Test
    void switchesAndValuesAreRemembered() throws Exception {
        try (Database db = Database.open(dir.resolve("s.db"))) {
            PluginPanelViewModel vm = new PluginPanelViewModel(registry(), new SettingsStore(db));
            vm.enabledProperty("edges").set(true);
            vm.state("edges").set("scale", "0.25");
        }
        try (Database db = Database.open(dir.resolve("s.db"))) {
            PluginPanelViewModel vm = new PluginPanelViewModel(registry(), new SettingsStore(db));
            assertTrue(vm.state("edges").isEnabled());
            assertFalse(vm.state("deepcache").isEnabled());
            assertEquals("0.25", vm.state("edges").values().get("scale"));
        }
    }
}
