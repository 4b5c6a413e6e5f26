namespace FastMlp;

/// <summary>
/// k-fold cross-validation: the rows are dealt into k seeded folds (stratified for classes: each fold keeps the class
/// balance); each fold is scored once by a model trained on the other k − 1. Everything fitted from data — the
/// standardizer (<see cref="TrainerOptions{T}.Standardize"/>), target scaling, balanced class weights, a column schema
/// (the <c>prepare</c> overload) — is fitted on the fold's training part only, so no fold sees its test rows. With
/// early stopping, each fold holds out a seeded 20 % of its training part (stratified for classes) as validation.
/// Folds run one after another, each using <see cref="TrainerOptions{T}.Threads"/>: results are the same for any thread count.
/// </summary>
public static class CrossValidation
{
    /// <summary>Share of a fold's training rows held out for early stopping's validation.</summary>
    public const double ValidationFraction = 0.2;

    /// <summary>
    /// The seeded folds of <paramref name="rows"/> rows: per fold the training rows and the test rows (ascending). With
    /// <paramref name="labels"/> (classification) the folds are stratified: each class's rows are shuffled and dealt
    /// in turn, so fold sizes differ by at most one per class.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="folds"/> is below 2 or above the row count.</exception>
    /// <exception cref="ArgumentException">Stratified: a class has fewer rows than folds (the class and its count are named).</exception>
    public static IReadOnlyList<(int[] Train, int[] Test)> Folds(int rows, int folds, int seed, ReadOnlySpan<int> labels = default, IReadOnlyList<string>? classNames = null)
    {
        Guard.AtLeast(folds, 2, "Folds");
        Guard.AtMost(folds, rows, "Folds", " (the row count: every fold tests at least one row)");
        var random = new Random(seed);
        var foldOf = new int[rows];
        if (labels.IsEmpty)
        {
            int[] order = [.. Enumerable.Range(0, rows)];
            random.Shuffle(order);
            for (int i = 0; i < rows; i++)
            {
                foldOf[order[i]] = (int)((long)i * folds / rows);
            }
        }
        else
        {
            if (labels.Length != rows)
            {
                ThrowHelper.Argument(nameof(labels), $"{rows} rows need {rows} labels, but {labels.Length} were given.");
            }
            int classes = 0;
            foreach (int label in labels)
            {
                classes = Math.Max(classes, label + 1);
            }
            var members = new List<int>[classes];
            for (int c = 0; c < classes; c++)
            {
                members[c] = [];
            }
            for (int r = 0; r < rows; r++)
            {
                members[labels[r]].Add(r);
            }
            int next = 0;
            for (int c = 0; c < classes; c++)
            {
                if (members[c].Count is > 0 and var count && count < folds)
                {
                    string name = classNames is not null && c < classNames.Count ? $"'{classNames[c]}'" : c.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    ThrowHelper.Argument(nameof(folds), $"{folds} stratified folds need at least {folds} rows of every class, but class {name} has {count}; use at most {count} folds.");
                }
                int[] shuffled = [.. members[c]];
                random.Shuffle(shuffled);
                // Deal each class in turn, continuing where the previous class stopped, so fold sizes stay even.
                foreach (int r in shuffled)
                {
                    foldOf[r] = next;
                    next = (next + 1) % folds;
                }
            }
        }
        var result = new (int[] Train, int[] Test)[folds];
        for (int f = 0; f < folds; f++)
        {
            var train = new List<int>(rows);
            var test = new List<int>(rows / folds + 1);
            for (int r = 0; r < rows; r++)
            {
                (foldOf[r] == f ? test : train).Add(r);
            }
            result[f] = ([.. train], [.. test]);
        }
        return result;
    }

    /// <summary>
    /// Cross-validates on a numeric dataset: per fold, a model from <paramref name="createModel"/> (called with the fold
    /// number and its training data) is trained with <paramref name="options"/> on the other folds and evaluated on this one.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CrossValidationResult Run<T>(Dataset<T> data, int folds, int seed, Func<int, Dataset<T>, Mlp<T>> createModel, TrainerOptions<T> options,
                                               CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        IReadOnlyList<(int[] Train, int[] Test)> parts = data.IsClassification
            ? Folds(data.Rows, folds, seed, data.Labels.Span, data.ClassNames)
            : Folds(data.Rows, folds, seed);
        return Run(parts, (_, train, test) => (data.Subset(train), data.Subset(test)), createModel, options, seed, cancellationToken);
    }

    /// <summary>
    /// Cross-validates over given folds, with <paramref name="prepare"/> building each fold's training and test datasets
    /// from its row indices — the place to fit encoders (e.g. a <see cref="TabularSchema"/>) on the training rows only.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled during a fold.</exception>
    public static CrossValidationResult Run<T>(IReadOnlyList<(int[] Train, int[] Test)> folds, Func<int, int[], int[], (Dataset<T> Train, Dataset<T> Test)> prepare,
                                               Func<int, Dataset<T>, Mlp<T>> createModel, TrainerOptions<T> options, int seed, CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<EvaluationResult>(folds.Count);
        var histories = new List<TrainingHistory>(folds.Count);
        for (int f = 0; f < folds.Count; f++)
        {
            (Dataset<T> train, Dataset<T> test) = prepare(f, folds[f].Train, folds[f].Test);
            Dataset<T>? validation = null;
            if (options.EarlyStopping is not null)
            {
                Dataset<T>[] parts = train.Split(seed + f, stratify: train.IsClassification, 1 - ValidationFraction, ValidationFraction);
                (train, validation) = (parts[0], parts[1]);
            }
            Mlp<T> model = createModel(f, train);
            using (var trainer = new Trainer<T>(model, options))
            {
                TrainingHistory history = trainer.Fit(train, validation, null, cancellationToken);
                if (history.Status == TrainingStatus.Cancelled)
                {
                    throw new OperationCanceledException($"Cross-validation was cancelled during fold {f + 1} of {folds.Count}.", cancellationToken);
                }
                histories.Add(history);
            }
            using InferenceModel<T> frozen = model.Freeze();
            results.Add(frozen.Evaluate(test));
        }
        return new CrossValidationResult(results, histories);
    }
}
