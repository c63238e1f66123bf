package dev.osmosis.app.prompt;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.ui.Controls;
import dev.osmosis.app.ui.Icons;
import java.io.File;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/**
 * The left column: prompt and negative prompt, sampling settings, size and batch, the advanced
 * options (the rest of the CLI's), and Generate / Cancel. Built in code, bound to a {@link PromptViewModel}.
 */
public final class PromptView extends ScrollPane {
    private final PromptViewModel vm;
    private final PromptEditor promptEditor;
    private final PromptEditor negativeEditor;
    private final Button generate = new Button("Generate");
    private final Button cancel = new Button();

    /**
     * @param running true while a job runs (Cancel shows then)
     * @param onGenerate queues a job (Ctrl+Enter does the same)
     * @param onCancel cancels the running job (Esc)
     */
    public PromptView(PromptViewModel vm, ObservableBooleanValue running, Runnable onGenerate, Runnable onCancel) {
        this.vm = vm;
        getStyleClass().add("prompt-column");
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);

        promptEditor = new PromptEditor(vm.promptProperty(),
                "Describe the image…  (word:1.3) stresses, [word] softens, BREAK starts a new chunk", 130);
        promptEditor.setId("prompt");
        negativeEditor = new PromptEditor(vm.negativePromptProperty(), "What to avoid…", 70);
        negativeEditor.setId("negative-prompt");

        ComboBox<String> sampler = new ComboBox<>();
        sampler.setId("sampler");
        sampler.getItems().setAll(SamplerNames.all());
        sampler.valueProperty().bindBidirectional(vm.samplerProperty());
        sampler.setButtonCell(samplerCell());
        sampler.setCellFactory(l -> samplerCell());
        sampler.setMaxWidth(Double.MAX_VALUE);

        Spinner<Integer> steps = Controls.intSpinner(vm.stepsProperty(), 1, 1000, 1);
        steps.setId("steps");
        Spinner<Double> cfg = Controls.doubleSpinner(vm.cfgScaleProperty(), 0, 30, 0.5,
                v -> v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v));
        cfg.setId("cfg");

        VBox form = new VBox(12,
                label("Prompt"), promptEditor,
                label("Negative prompt"), negativeEditor,
                Controls.sectionTitle("Sampling"),
                Controls.field("Sampler", sampler, "How each denoising step is taken"),
                Controls.row(Controls.field("Steps", steps, "Denoising steps; more is slower and usually cleaner"),
                        Controls.field("CFG scale", cfg, "Classifier-free guidance: how strictly to follow the prompt"
                                + " (1 turns it off and halves the work)"),
                        Controls.field("Batch", batchSpinner(), "Images per job; image k gets seed + k")),
                seedRow(),
                Controls.sectionTitle("Size"),
                sizeRow(),
                advanced(),
                problemLabel(),
                actions(running, onGenerate, onCancel));
        form.setPadding(new Insets(16));
        form.setFillWidth(true);
        setContent(form);
        promptEditor.setFocusNeighbours(null, negativeEditor.area());
        negativeEditor.setFocusNeighbours(promptEditor.area(), sampler);
    }

    public PromptEditor promptEditor() {
        return promptEditor;
    }

    public Button generateButton() {
        return generate;
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }

    private static ListCell<String> samplerCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : SamplerNames.label(item));
            }
        };
    }

    private Spinner<Integer> batchSpinner() {
        Spinner<Integer> batch = Controls.intSpinner(vm.batchProperty(), 1, 64, 1);
        batch.setId("batch");
        return batch;
    }

    private VBox seedRow() {
        TextField seed = new TextField();
        seed.setId("seed");
        TextFormatter<Long> f = new TextFormatter<>(new javafx.util.converter.LongStringConverter() {
            @Override
            public Long fromString(String s) {
                try {
                    return super.fromString(s);
                } catch (NumberFormatException e) {
                    return vm.seedProperty().get();
                }
            }
        }, vm.seedProperty().get(), c -> c.getControlNewText().matches("\\d{0,10}") ? c : null);
        seed.setTextFormatter(f);
        f.valueProperty().addListener((obs, o, n) -> {
            if (n != null && n != vm.seedProperty().get()) {
                vm.seedProperty().set(Math.min(n, dev.osmosis.engine.pipeline.GenerationRequest.MAX_SEED));
            }
        });
        vm.seedProperty().addListener((obs, o, n) -> f.setValue(n.longValue()));
        seed.disableProperty().bind(vm.seedModeProperty().isEqualTo(SeedMode.RANDOM));
        HBox.setHgrow(seed, Priority.ALWAYS);

        ToggleGroup group = new ToggleGroup();
        HBox modes = new HBox();
        SeedMode[] all = SeedMode.values();
        for (int i = 0; i < all.length; i++) {
            SeedMode m = all[i];
            ToggleButton b = new ToggleButton(null, Icons.of(switch (m) {
                case RANDOM -> Material2AL.CASINO;
                case FIXED -> Material2AL.LOCK;
                case REUSE_LAST -> Material2MZ.REPLAY;
            }));
            b.setId("seed-" + m.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            b.setTooltip(new Tooltip(switch (m) {
                case RANDOM -> "Random: a new seed for every job";
                case FIXED -> "Fixed: the seed in the field, every time";
                case REUSE_LAST -> "Reuse last: the seed of the last finished image";
            }));
            b.getStyleClass().add(i == 0 ? Styles.LEFT_PILL : i == all.length - 1 ? Styles.RIGHT_PILL : Styles.CENTER_PILL);
            b.setToggleGroup(group);
            b.setUserData(m);
            b.setSelected(vm.seedModeProperty().get() == m);
            modes.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((obs, o, n) -> {
            if (n == null) {
                o.setSelected(true); // one mode is always on
            } else {
                vm.seedModeProperty().set((SeedMode) n.getUserData());
            }
        });
        vm.seedModeProperty().addListener((obs, o, n) -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == n)));
        HBox row = new HBox(8, seed, modes);
        row.setAlignment(Pos.CENTER_LEFT);
        return Controls.field("Seed", row, "Same seed and settings give the same image");
    }

    private VBox sizeRow() {
        Spinner<Integer> w = Controls.intSpinner(vm.widthProperty(), 64, 4096, 64);
        w.setId("width");
        Spinner<Integer> h = Controls.intSpinner(vm.heightProperty(), 64, 4096, 64);
        h.setId("height");
        Button swap = new Button(null, Icons.of(Material2MZ.SWAP_HORIZ));
        swap.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        swap.setTooltip(new Tooltip("Swap width and height"));
        swap.setOnAction(e -> {
            int width = vm.widthProperty().get();
            vm.widthProperty().set(vm.heightProperty().get());
            vm.heightProperty().set(width);
        });
        MenuButton presets = new MenuButton(null, Icons.of(Material2AL.ASPECT_RATIO));
        presets.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        presets.setTooltip(new Tooltip("Size presets"));
        presets.setOnShowing(e -> {
            int n = vm.nativeSizeProperty().get();
            presets.getItems().setAll(
                    preset("Native " + n + " × " + n, n, n),
                    preset("Portrait 2:3", round8(n * 2 / 3.0), n),
                    preset("Landscape 3:2", n, round8(n * 2 / 3.0)),
                    preset("Wide 16:9", n, round8(n * 9 / 16.0)),
                    preset("Double " + 2 * n + " × " + 2 * n, 2 * n, 2 * n));
        });
        HBox row = new HBox(6, Controls.field("Width", w, null), new Label("×"), Controls.field("Height", h, null), swap, presets);
        row.setAlignment(Pos.BOTTOM_LEFT);
        HBox.setHgrow(row.getChildren().get(0), Priority.ALWAYS);
        HBox.setHgrow(row.getChildren().get(2), Priority.ALWAYS);
        row.getChildren().get(1).getStyleClass().add("times");
        return new VBox(row);
    }

    private MenuItem preset(String label, int w, int h) {
        MenuItem item = new MenuItem(label);
        item.setOnAction(e -> {
            vm.widthProperty().set(Math.max(64, w));
            vm.heightProperty().set(Math.max(64, h));
        });
        return item;
    }

    private static int round8(double v) {
        return (int) Math.round(v / 8) * 8;
    }

    private TitledPane advanced() {
        Spinner<Integer> clip = Controls.intSpinner(vm.clipSkipProperty(), 1, 12, 1);
        clip.setId("clip-skip");
        ComboBox<String> device = new ComboBox<>();
        device.setId("device");
        device.getItems().setAll("cpu", "gpu");
        device.valueProperty().bindBidirectional(vm.deviceProperty());
        device.setMaxWidth(Double.MAX_VALUE);
        ComboBox<String> prediction = new ComboBox<>();
        prediction.setId("prediction");
        prediction.getItems().setAll(PromptViewModel.PREDICTIONS);
        prediction.valueProperty().bindBidirectional(vm.predictionProperty());
        prediction.setMaxWidth(Double.MAX_VALUE);
        Spinner<Integer> heads = Controls.intSpinner(vm.textEncoderHeadsProperty(), 0, 64, 1);
        heads.setId("text-encoder-heads");
        ComboBox<String> precision = new ComboBox<>();
        precision.setId("precision");
        precision.getItems().setAll(PromptViewModel.PRECISIONS);
        precision.valueProperty().bindBidirectional(vm.precisionProperty());
        precision.setMaxWidth(Double.MAX_VALUE);

        TextField noise = new TextField();
        noise.setEditable(false);
        noise.setPromptText("drawn from the seed");
        noise.textProperty().bind(Bindings.createStringBinding(
                () -> vm.initNoiseProperty().get() == null ? "" : vm.initNoiseProperty().get().getFileName().toString(),
                vm.initNoiseProperty()));
        HBox.setHgrow(noise, Priority.ALWAYS);
        Button pick = new Button(null, Icons.of(Material2AL.FOLDER_OPEN));
        pick.getStyleClass().add(Styles.BUTTON_ICON);
        pick.setTooltip(new Tooltip("Choose a .safetensors file holding a 'latents' tensor"));
        pick.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Initial latents");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("safetensors", "*.safetensors"));
            File f = chooser.showOpenDialog(getScene().getWindow());
            if (f != null) {
                vm.initNoiseProperty().set(f.toPath());
            }
        });
        Button clear = new Button(null, Icons.of(Material2AL.CLOSE));
        clear.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        clear.disableProperty().bind(vm.initNoiseProperty().isNull());
        clear.setOnAction(e -> vm.initNoiseProperty().set(null));

        CheckBox saveLatents = new CheckBox("Save the final latents beside each PNG");
        saveLatents.selectedProperty().bindBidirectional(vm.saveLatentsProperty());

        VBox box = new VBox(12,
                Controls.row(Controls.field("Clip skip", clip, "1 = last text encoder layer, 2 = penultimate (A1111's clip skip)"),
                        Controls.field("Device", device, "Where the model runs; GPU needs a CUDA build of PyTorch")),
                Controls.row(Controls.field("Prediction", prediction, "auto trusts the model files; SD2-v single files need v_prediction"),
                        Controls.field("Text encoder heads", heads, "Single-file checkpoints with a non-standard text encoder; 0 = infer")),
                Controls.row(Controls.field("Precision", precision,
                                "fp32 is exact; bf16 is faster on CPUs with bfloat16 instructions, about 1 % off"),
                        Controls.field("Initial latents (txt2img)", new HBox(6, noise, pick, clear),
                                "Start from these latents instead of noise drawn from the seed (the CLI's --init-noise)")),
                saveLatents);
        TitledPane pane = new TitledPane("Advanced", box);
        pane.setExpanded(false);
        pane.setAnimated(false);
        pane.getStyleClass().add("advanced");
        return pane;
    }

    private Label problemLabel() {
        Label problem = new Label();
        problem.setId("form-problem");
        problem.getStyleClass().addAll("form-problem", Styles.DANGER);
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        return problem;
    }

    private HBox actions(ObservableBooleanValue running, Runnable onGenerate, Runnable onCancel) {
        generate.setId("generate");
        generate.setGraphic(Icons.of(Material2MZ.PLAY_ARROW, 18));
        generate.getStyleClass().addAll(Styles.ACCENT, Styles.LARGE, "generate-button");
        generate.setDefaultButton(false);
        generate.setMaxWidth(Double.MAX_VALUE);
        generate.setTooltip(new Tooltip("Generate (Ctrl+Enter); queues a job if one is running"));
        generate.setOnAction(e -> onGenerate.run());
        HBox.setHgrow(generate, Priority.ALWAYS);

        cancel.setId("cancel");
        cancel.setGraphic(Icons.of(Material2MZ.STOP, 18));
        cancel.getStyleClass().addAll(Styles.DANGER, Styles.LARGE, Styles.BUTTON_ICON);
        cancel.setTooltip(new Tooltip("Cancel the running job (Esc)"));
        cancel.setOnAction(e -> onCancel.run());
        cancel.disableProperty().bind(Bindings.not(running));
        HBox box = new HBox(8, generate, cancel);
        box.setPadding(new Insets(4, 0, 0, 0));
        return box;
    }
}
