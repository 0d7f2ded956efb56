using System.Globalization;

namespace BeneficialRL.Scenarios.Grading.OpenAi;

/// <summary>
/// A multi grader's <c>calculate_output</c>: arithmetic over the sub-graders' scores, parsed into a tree once and
/// evaluated without reflection or code generation. Numbers, grader names, <c>+ - * / ^</c> (power, right
/// associative), unary minus, parentheses and the functions <c>min</c>, <c>max</c> (one or more arguments),
/// <c>abs</c>, <c>floor</c>, <c>ceil</c>, <c>sqrt</c>, <c>log</c> (natural) and <c>exp</c>.
/// </summary>
public sealed class CalculateOutputFormula
{
    private static readonly Dictionary<string, (int MinArgs, int MaxArgs, Func<double[], double> Apply)> Functions = new(StringComparer.Ordinal)
    {
        ["min"] = (1, int.MaxValue, a => a.Min()),
        ["max"] = (1, int.MaxValue, a => a.Max()),
        ["abs"] = (1, 1, a => Math.Abs(a[0])),
        ["floor"] = (1, 1, a => Math.Floor(a[0])),
        ["ceil"] = (1, 1, a => Math.Ceiling(a[0])),
        ["sqrt"] = (1, 1, a => Math.Sqrt(a[0])),
        ["log"] = (1, 1, a => Math.Log(a[0])),
        ["exp"] = (1, 1, a => Math.Exp(a[0])),
    };

    private readonly Node _root;

    private CalculateOutputFormula(string text, Node root, IReadOnlySet<string> variables)
    {
        Text = text;
        _root = root;
        Variables = variables;
    }

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>The grader names it reads.</summary>
    public IReadOnlySet<string> Variables { get; }

    /// <summary>The function names a formula may call.</summary>
    public static IEnumerable<string> FunctionNames => Functions.Keys;

    /// <summary>Parses <paramref name="text"/>; every name must be one of <paramref name="graderNames"/>. Returns the error instead on failure.</summary>
    public static (CalculateOutputFormula? Formula, string? Error) Parse(string text, IReadOnlySet<string> graderNames)
    {
        if (text.Length > 4096) return (null, "The formula is longer than 4096 characters.");
        try
        {
            var parser = new Parser(text, graderNames);
            var root = parser.ParseAll();
            return (new CalculateOutputFormula(text, root, parser.Used), null);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The formula's value given each grader's score; a name with no score is an error of the caller.</summary>
    public double Evaluate(IReadOnlyDictionary<string, double> scores) => _root.Evaluate(scores);

    private abstract record Node
    {
        public abstract double Evaluate(IReadOnlyDictionary<string, double> scores);
    }

    private sealed record NumberNode(double Value) : Node
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> scores) => Value;
    }

    private sealed record VariableNode(string Name) : Node
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> scores) =>
            scores.TryGetValue(Name, out var value) ? value : throw new KeyNotFoundException($"No score for grader '{Name}'.");
    }

    private sealed record UnaryNode(Node Operand) : Node
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> scores) => -Operand.Evaluate(scores);
    }

    private sealed record BinaryNode(char Operator, Node Left, Node Right) : Node
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> scores)
        {
            var l = Left.Evaluate(scores);
            var r = Right.Evaluate(scores);
            return Operator switch
            {
                '+' => l + r,
                '-' => l - r,
                '*' => l * r,
                '/' => l / r,
                _ => Math.Pow(l, r),
            };
        }
    }

    private sealed record CallNode(Func<double[], double> Apply, IReadOnlyList<Node> Arguments) : Node
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> scores) => Apply([.. Arguments.Select(a => a.Evaluate(scores))]);
    }

    /// <summary>Recursive descent: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*; unary := '-' unary | power; power := atom ('^' unary)?.</summary>
    private sealed class Parser(string text, IReadOnlySet<string> names)
    {
        private const int MaxDepth = 64;
        private int _at;
        private int _depth;

        public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

        public Node ParseAll()
        {
            var node = Sum();
            Skip();
            if (_at < text.Length) throw Error($"unexpected '{text[_at]}'");
            return node;
        }

        private Node Sum()
        {
            var node = Product();
            while (Accept('+', '-') is { } op) node = new BinaryNode(op, node, Product());
            return node;
        }

        private Node Product()
        {
            var node = Unary();
            while (Accept('*', '/') is { } op) node = new BinaryNode(op, node, Unary());
            return node;
        }

        private Node Unary()
        {
            if (Accept('-') is not null) return Nested(() => new UnaryNode(Unary()));
            if (Accept('+') is not null) return Nested(Unary);
            return Power();
        }

        private Node Power()
        {
            var atom = Atom();
            return Accept('^') is not null ? new BinaryNode('^', atom, Nested(Unary)) : atom;
        }

        private Node Atom()
        {
            Skip();
            if (_at >= text.Length) throw Error("the formula ends where a number, grader name or '(' was expected");
            var c = text[_at];
            if (c == '(')
            {
                _at++;
                var inner = Nested(Sum);
                Expect(')');
                return inner;
            }

            if (char.IsDigit(c) || c == '.') return Number();
            if (char.IsLetter(c) || c == '_') return NameOrCall();
            throw Error($"unexpected '{c}'");
        }

        private Node Number()
        {
            var start = _at;
            while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.')) _at++;
            if (_at < text.Length && text[_at] is 'e' or 'E')
            {
                var save = _at;
                _at++;
                if (_at < text.Length && text[_at] is '+' or '-') _at++;
                if (_at < text.Length && char.IsDigit(text[_at]))
                    while (_at < text.Length && char.IsDigit(text[_at])) _at++;
                else
                    _at = save;
            }

            var literal = text[start.._at];
            if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw Error($"'{literal}' is not a number", start);
            return new NumberNode(value);
        }

        private Node NameOrCall()
        {
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
            var name = text[start.._at];
            Skip();
            if (_at < text.Length && text[_at] == '(' && !names.Contains(name))
            {
                if (!Functions.TryGetValue(name, out var function))
                    throw Error($"unknown function '{name}'; the functions are {string.Join(", ", Functions.Keys)}", start);
                _at++;
                var arguments = new List<Node>();
                Skip();
                if (_at < text.Length && text[_at] == ')')
                {
                    _at++;
                }
                else
                {
                    do arguments.Add(Nested(Sum));
                    while (Accept(',') is not null);
                    Expect(')');
                }

                if (arguments.Count < function.MinArgs || arguments.Count > function.MaxArgs)
                    throw Error($"'{name}' takes {(function.MaxArgs == 1 ? "one argument" : "one or more arguments")}, not {arguments.Count}", start);
                return new CallNode(function.Apply, arguments);
            }

            if (!names.Contains(name))
                throw Error($"'{name}' is not the name of a grader in 'graders'" + (names.Count == 0 ? "" : $" (they are {string.Join(", ", names.Order(StringComparer.Ordinal))})"), start);
            Used.Add(name);
            return new VariableNode(name);
        }

        private Node Nested(Func<Node> parse)
        {
            if (++_depth > MaxDepth) throw Error($"the formula nests deeper than {MaxDepth} levels");
            try
            {
                return parse();
            }
            finally
            {
                _depth--;
            }
        }

        private char? Accept(params char[] operators)
        {
            Skip();
            if (_at < text.Length && operators.Contains(text[_at])) return text[_at++];
            return null;
        }

        private void Expect(char c)
        {
            if (Accept(c) is null) throw Error(_at < text.Length ? $"expected '{c}' but found '{text[_at]}'" : $"expected '{c}' but the formula ends");
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private FormatException Error(string message, int? at = null) => new($"At character {(at ?? _at) + 1}: {message}.");
    }
}
