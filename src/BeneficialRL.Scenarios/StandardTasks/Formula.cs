namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>Evaluates the small integer formulas of arithmetic templates (variables, + - * /, usual precedence, integer division).</summary>
internal static class Formula
{
    public static long Evaluate(string formula, IReadOnlyDictionary<string, long> values)
    {
        // Sum of products: split on + and - at top level, each term a product/quotient of variables or integers.
        long total = 0;
        var sign = 1;
        var term = new System.Text.StringBuilder();
        foreach (var c in formula.Replace(" ", "", StringComparison.Ordinal) + "+")
        {
            if (c is '+' or '-')
            {
                total += sign * Term(term.ToString(), values, formula);
                term.Clear();
                sign = c == '+' ? 1 : -1;
            }
            else
            {
                term.Append(c);
            }
        }

        return total;
    }

    private static long Term(string term, IReadOnlyDictionary<string, long> values, string formula)
    {
        long result = 1;
        var op = '*';
        var operand = new System.Text.StringBuilder();
        foreach (var c in term + "*")
        {
            if (c is '*' or '/')
            {
                var name = operand.ToString();
                var value = long.TryParse(name, out var literal) ? literal
                    : values.TryGetValue(name, out var v) ? v
                    : throw new InvalidOperationException($"Formula '{formula}' uses unknown variable '{name}'.");
                result = op == '*' ? result * value : result / value;
                op = c;
                operand.Clear();
            }
            else
            {
                operand.Append(c);
            }
        }

        return result;
    }
}
