using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>One hand-computed update per optimizer on a 1→1 identity network (w, b), MSE, one row.</summary>
public class OptimizerTests
{
    // Model ŷ = w·x + b with x = 2, y = 1, w = 0.5, b = 0.25: ŷ = 1.25, loss = 0.0625,
    // dL/dŷ = 2(ŷ − y) = 0.5, so gw = 0.5·x = 1.0 and gb = 0.5.
    private static (Mlp<double> Model, Trainer<double> Trainer) Setup(Optimizer optimizer)
    {
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 0);
        model.SetWeights(0, [0.5]);
        model.SetBiases(0, [0.25]);
        return (model, new Trainer<double>(model, new TrainerOptions<double> { Optimizer = optimizer, Loss = Loss.MeanSquaredError, BatchSize = 1 }));
    }

    private static (double W, double B) StepOnce(Mlp<double> model, Trainer<double> trainer)
    {
        double loss = trainer.Step([2.0], [1.0], 1);
        Assert.Equal(0.0625, loss, 15);
        return (model.GetWeights(0)[0], model.GetBiases(0)[0]);
    }

    [Fact]
    public void Sgd()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.Sgd(0.1));
        using (trainer)
        {
            (double w, double b) = StepOnce(model, trainer);
            Assert.Equal(0.5 - 0.1 * 1.0, w, 15);
            Assert.Equal(0.25 - 0.1 * 0.5, b, 15);
        }
    }

    [Fact]
    public void Sgd_with_weight_decay_adds_lambda_p_to_the_gradient()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.Sgd(0.1, weightDecay: 0.01));
        using (trainer)
        {
            (double w, double b) = StepOnce(model, trainer);
            Assert.Equal(0.5 - 0.1 * (1.0 + 0.01 * 0.5), w, 15);
            Assert.Equal(0.25 - 0.1 * (0.5 + 0.01 * 0.25), b, 15);
        }
    }

    [Fact]
    public void Momentum_two_steps()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.Sgd(0.1, momentum: 0.9));
        using (trainer)
        {
            (double w1, double b1) = StepOnce(model, trainer);
            Assert.Equal(0.4, w1, 15); // v = g on the first step
            Assert.Equal(0.2, b1, 15);
            // Second step: ŷ = 0.4·2 + 0.2 = 1.0 → zero gradient, v = 0.9·v.
            trainer.Step([2.0], [1.0], 1);
            Assert.Equal(0.4 - 0.1 * 0.9 * 1.0, model.GetWeights(0)[0], 15);
            Assert.Equal(0.2 - 0.1 * 0.9 * 0.5, model.GetBiases(0)[0], 15);
        }
    }

    [Fact]
    public void Nesterov()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.Sgd(0.1, momentum: 0.9, nesterov: true));
        using (trainer)
        {
            // v = g; step direction g + μv = 1.9·g
            (double w, double b) = StepOnce(model, trainer);
            Assert.Equal(0.5 - 0.1 * 1.9 * 1.0, w, 15);
            Assert.Equal(0.25 - 0.1 * 1.9 * 0.5, b, 15);
        }
    }

    [Fact]
    public void Adam_first_step_moves_each_parameter_by_about_lr()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.Adam(0.01, weightDecay: 0.1));
        using (trainer)
        {
            (double w, double b) = StepOnce(model, trainer);
            double gw = 1.0 + 0.1 * 0.5, gb = 0.5 + 0.1 * 0.25;
            // m̂ = g, v̂ = g² after bias correction: step = lr·g/(|g| + ε)
            Assert.Equal(0.5 - 0.01 * gw / (Math.Sqrt(gw * gw) + 1e-8), w, 14);
            Assert.Equal(0.25 - 0.01 * gb / (Math.Sqrt(gb * gb) + 1e-8), b, 14);
        }
    }

    [Fact]
    public void AdamW_decays_the_weights_outside_the_moments()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.AdamW(0.01, weightDecay: 0.1));
        using (trainer)
        {
            (double w, double b) = StepOnce(model, trainer);
            Assert.Equal(0.5 * (1 - 0.01 * 0.1) - 0.01 * 1.0 / (1.0 + 1e-8), w, 14);
            Assert.Equal(0.25 * (1 - 0.01 * 0.1) - 0.01 * 0.5 / (0.5 + 1e-8), b, 14);
        }
    }

    [Fact]
    public void Adam_second_step_uses_bias_corrected_moments()
    {
        (Mlp<double> model, Trainer<double> trainer) = Setup(Optimizer.Adam(0.01));
        using (trainer)
        {
            StepOnce(model, trainer);
            double w1 = model.GetWeights(0)[0], b1 = model.GetBiases(0)[0];
            double yhat = w1 * 2 + b1, g = 2 * (yhat - 1);
            double gw = g * 2, gb = g;
            double Expected(double p, double g1, double g2)
            {
                double m = 0.9 * (0.1 * g1) + 0.1 * g2, v = 0.999 * (0.001 * g1 * g1) + 0.001 * g2 * g2;
                double mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 * 0.999);
                return p - 0.01 * mhat / (Math.Sqrt(vhat) + 1e-8);
            }
            trainer.Step([2.0], [1.0], 1);
            Assert.Equal(Expected(w1, 1.0, gw), model.GetWeights(0)[0], 12);
            Assert.Equal(Expected(b1, 0.5, gb), model.GetBiases(0)[0], 12);
        }
    }
}
