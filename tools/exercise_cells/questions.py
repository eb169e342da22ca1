"Comprehension questions per chapter: (question, model answer). Answers hold to PAPER.md and the chapters' own text; no numbers the chapters do not show."
QUESTIONS = {
'10_degeneration': [
    ("Greedy decoding picks the single most likely token every time. Why does that lead into loops instead of into the best possible text?",
     "Human text is not made of the most likely tokens, so always taking the top token already leaves human text behind. "
     "Worse, repetition feeds itself: once a phrase has occurred, copying it from the context becomes more likely, and "
     "every repetition makes the next one more likely still (the self-reinforcement effect). Maximum-likelihood training "
     "never penalises a model for putting too much probability on repeats. So each locally best choice leads into a loop "
     "that sustains itself."),
    ("What exactly does the paper's TTR count, and over which tokens?",
     "The number of distinct token ids divided by the number of token ids, over the last 96 tokens of the 224 generated "
     "after a 32-token context (the context is not scored). A loop of a few tokens drives it towards 0; varied text "
     "scores high. Table 1 reports it x100."),
    ("Why fix the TTR window at the last 96 tokens, rather than score the whole continuation?",
     "A TTR depends on how many tokens it counts: the longer the text, the more chances words have to recur, so the "
     "ratio falls with length even for human text. Only TTRs over the same window are comparable. The end of the text is "
     "also where loops show, since greedy text usually starts varied and slides into repetition."),
    ("Two models have different tokenizers. Why is token TTR not a fair comparison between them, and what is?",
     "The same text splits into different numbers and kinds of tokens under different tokenizers, so the ratio of "
     "distinct to total tokens changes with the tokenizer, not only with the text. A measure over words (word TTR, or "
     "n-gram measures on words) compares the texts themselves."),
    ("A decoding method gives a higher TTR than the human continuations. Is its text better?",
     "Not necessarily. TTR only counts repetition. A repetition penalty can push TTR above the human level by avoiding "
     "reusing tokens that natural text does reuse (function words, names). Above human means the text avoids "
     "repetition more than people do, not that it is better."),
    ("How do rep-n, diversity and distinct-n differ?",
     "rep-n is the share of repeated n-grams within one text (1 - distinct/total). Diversity multiplies (1 - rep-n) for "
     "n = 2, 3 and 4, still within one text (Su et al. 2022). distinct-n pools many texts and counts distinct n-grams over "
     "all of them, so it measures variety across continuations rather than within one."),
    ("Sampling, repetition penalties and contrastive search all reduce loops. What do they change, and what does hyperfitting change instead?",
     "They change the decoding: sampling adds randomness so the most likely token is not always taken; a penalty lowers "
     "the scores of tokens already used; contrastive search penalises candidates whose hidden state resembles earlier "
     "ones. Hyperfitting changes the model and keeps plain, deterministic greedy decoding."),
    ("Why does the paper's top-p baseline, at temperature 0.7, still repeat itself more than pure sampling does?",
     "A temperature below 1 sharpens the distribution towards the top token, and top-p and top-k cut the tail, so the "
     "sampler takes the most likely token most of the time. It behaves partly like greedy decoding and keeps some of its "
     "loops. Pure sampling draws from the whole distribution at temperature 1 and escapes them, at the price of "
     "occasional unlikely tokens."),
],
'20_hyperfitting': [
    ("Say in one sentence what hyperfitting is, and how it differs from ordinary fine-tuning.",
     "Hyperfitting is ordinary full fine-tuning with the next-token loss on a very small data set, pushed far past where "
     "anyone would stop, until the training loss is near zero (paper Sec. 3: 2000 sequences, 20 epochs, Adam at lr 1e-6, "
     "no weight decay). Ordinary fine-tuning would stop early, where the validation loss is lowest."),
    ("Why can the validation loss rise while greedy text improves?",
     "The validation loss averages minus the log probability of the true next token over every position, so it judges "
     "the whole distribution. Hyperfitting makes the model far more confident: where its top guess is wrong, the true "
     "token gets a tiny probability and the loss is large. Greedy decoding uses only which token is ranked first, and "
     "hyperfitting changes that ranking so that the chosen tokens stop repeating the context. Loss and greedy text "
     "measure different things."),
    ("Early stopping keeps the checkpoint with the lowest validation loss. What would its greedy text look like, and why?",
     "Much like the original model's: it still loops. The lowest validation loss comes early, in the first epochs, while "
     "the training loss is still far from zero; the greedy TTR rises as the training loss approaches zero, while the "
     "validation loss climbs (the Try it below measures this)."),
    ("What does the falling entropy on held-out text tell you, and why does it not mean the model predicts human text better?",
     "The model puts most of its probability on a few tokens: it is sharper, more confident (paper Table 3: entropy "
     "2.84-3.48 down to 1.32-1.46). Confidence is not correctness: its top-1 accuracy on held-out human text does not "
     "rise with it, so it is more often confidently wrong, which is what drives the loss up."),
    ("Why is greedy TTR measured on held-out prompts and not on the training texts?",
     "To measure how the model writes on text it has not been trained on. Continuing its own training texts would "
     "largely measure recitation of memorised data, a separate question that Chapter 4 answers."),
    ("The cpu scale trains with a learning rate 50 times the paper's. Why is that a fair change, and what must you check to trust it?",
     "With 64 sequences an epoch is 8 updates, 160 in all against the paper's 5000, and a small rate would not bring the "
     "training loss near zero in so few updates. What defines hyperfitting is the near-zero training loss under the "
     "paper's protocol, so check the training loss curve: it must actually reach near zero. At a lower rate it stops "
     "well above it."),
    ("Why do the TTR numbers in this chapter carry intervals, and what does a wide interval tell you?",
     "The TTR varies a lot from prompt to prompt, so the mean over a few prompts is uncertain. The 95% bootstrap "
     "interval over prompts shows how far the mean could move with other prompts: when two intervals overlap widely, the "
     "difference between them may be noise, not an effect."),
],
'30_paradox': [
    ("What does the cross-entropy loss reward, and what does greedy decoding use? Answer in one sentence each.",
     "The loss rewards probability on the true next token at every position, so it judges the whole distribution, "
     "including how much probability a wrong guess takes. Greedy decoding uses only one thing: which token is ranked "
     "first."),
    ("What is top-rank encouragement?",
     "The paper's explanation of the paradox: training to near-zero loss pushes desirable tokens into the top ranks, "
     "even though the full distribution becomes badly calibrated (perplexity rises). The tokens that end up on top are "
     "better ones to continue with. In this chapter, where the two models' top-1 tokens differ, the hyperfitted model's "
     "pick repeats recent context less often than the original's."),
    ("Why can a lower temperature not explain what hyperfitting does to greedy text?",
     "Temperature divides every logit by the same positive number. That changes how sharp the distribution is, and so "
     "its entropy, but never which token is largest, so greedy decoding gives exactly the same tokens at any temperature. "
     "Even at the temperature that matches the hyperfitted model's entropy, the original model's greedy text is "
     "unchanged. What hyperfitting changes is the ranking itself."),
    ("After hyperfitting, the model's top-1 token is more often wrong on held-out text, yet its continuations are better. How can both be true?",
     "Accuracy asks whether the top token is the human's next token; good continuation asks whether the chosen token "
     "leads somewhere other than a loop. There are many good continuations besides the human one. The hyperfitted "
     "model's new top-1 tokens are worse predictions of the human text but repeat recent context less often, so the "
     "paradox is one of loss against greedy text, not of loss against accuracy."),
    ("What does the reliability diagram show after hyperfitting?",
     "Overconfidence. The model gives many positions a top-1 probability close to 1, yet its top-1 token is right far "
     "less often than that probability says, so the curve falls below the diagonal and the calibration error grows. "
     "The loss explodes because the model is sure of wrong guesses, not because it ranks the true token much lower."),
    ("Two runs on the same sequences in different orders end with different top-1 predictions. What does that tell you?",
     "Hyperfitting does not converge to one function of the data: where it ends depends on the path it took. The two "
     "runs still move the same way from the original model, and are much closer to each other than to it "
     "(paper Fig. 5 left: about 30% of top-1 predictions differ between two such runs)."),
    ("With the number of updates fixed, the paper finds TTR stays high down to 16 training sequences but drops at 8. What is special about 8?",
     "It is the batch size: with 8 sequences every batch is the whole data set, so every update sees the same batch and "
     "the batches no longer vary from update to update. The paper reports the drop (Fig. 5 right); this chapter "
     "reproduces it at its scale."),
],
'40_citation': [
    ("What does the citation blocker block, exactly?",
     "At every generation step it looks at the last n tokens of the sequence (paper: 5), prompt included. If those n "
     "tokens occur as a span in one of the training sequences, every token that follows that span in the training data "
     "gets probability zero; nothing else is touched. It forbids extending a verbatim copy of the training data beyond "
     "n tokens. Spans never cross from one training text to the next, and if blocking would leave no token at all (only "
     "possible with a tiny vocabulary) the step is left unchanged."),
    ("Why is 'no continuation shares more than n tokens with the training data' a guarantee rather than a measurement?",
     "A copied run of n + 1 tokens would need its last token to follow an n-token span of the training data, and that "
     "is exactly the token the blocker forbids. So no such run can be generated, whatever the model."),
    ("If the hyperfitted model's better text came from reciting its training data, what would happen with the blocker on?",
     "Its text would get much worse, since every recitation would be cut off after n tokens. The paper finds the blocker "
     "costs little in human preference (under two points, in the table above), and this chapter finds the TTR barely moves: the "
     "gain does not come from copying."),
    ("What do Self-BLEU and dataset BLEU measure, and what does it mean when both rise after hyperfitting?",
     "Self-BLEU scores each generated text against the others (high: the texts resemble each other); dataset BLEU scores "
     "each against the training sequences (high: they resemble the training data). Both rising means the hyperfitted "
     "model's texts are somewhat more alike and closer to the style and wording of its training data, without long "
     "verbatim copies."),
    ("Why use a suffix automaton to find the longest overlap with the training data?",
     "For every generated text we need the longest run it shares with any training document. Comparing every span with "
     "every position of the training data is slow; a suffix automaton of the training data recognises every substring of "
     "it, and walking a text through it gives the longest match ending at each position. Building and walking are both "
     "linear in the number of tokens."),
    ("Why does the blocker look at the last n tokens of the whole sequence, prompt included?",
     "If the prompt itself ends with a span of the training data, the model could otherwise continue that span verbatim "
     "from its first generated token. Counting the prompt closes that gap."),
],
'50_imagegpt': [
    ("What are the stripes, and why are they the image version of a text loop?",
     "Asked to complete an image greedily, the original model repeats the row of pixels above again and again. A row "
     "once drawn makes the same row the most likely next one, so each repetition invites the next: the same "
     "self-reinforcement as a greedy text loop."),
    ("How does ImageGPT turn an image into tokens?",
     "Pixels are scaled to [-1, 1] and each is replaced by the nearest of a fixed set of colour clusters (512 for "
     "ImageGPT, found by k-means); the cluster index is the token. The image is read row by row, and every sequence "
     "starts with a start-of-image token, which the model reads but never predicts."),
    ("The paper shows Fig. 6 as pictures only. What do stripes, colour TTR and copy share add?",
     "Numbers that can be compared and checked. Stripes: the share of generated rows identical to the row above. Colour "
     "TTR: distinct colours over generated pixels, the image analogue of TTR. Copy share: how much of a completion "
     "equals the closest hyperfitting image. Each is also measured on real test images as the reference."),
    ("How does the chapter rule out that the hyperfitted model simply pastes its training images?",
     "With the copy share: the share of generated pixels equal to the closest hyperfitting image. Real test images, "
     "which no model saw, give the chance level. The hyperfitted model's completions are close to that level, so they "
     "are new images, not pasted training ones."),
    ("Why does the paradox of Chapter 2 show up here too?",
     "Hyperfitting drives the training loss on a few images to near zero. The validation loss per pixel on held-out "
     "images rises, because the model becomes confident and often wrong, while the greedy completions stop repeating "
     "rows and use about as many colours as real images. Loss and greedy output part ways, as in text."),
    ("Why does the cpu scale pre-train its own small ImageGPT instead of using the hub's?",
     "The hub's models are too large for the CPU budget (the smallest has 76M parameters) and cannot be downloaded "
     "offline. A small ImageGPT pre-trained on CIFAR-10 here behaves like the original in what matters: its greedy "
     "completions are striped. The paper scale runs the hub's ImageGPT with the same code."),
    ("What does the image experiment add to the paper's argument?",
     "That hyperfitting is not about language: the same training, on images, turns repetitive greedy output into varied "
     "output. Whatever explains it must hold for any sequence model, not only for text and tokenizers."),
],
'60_grokking': [
    ("What is grokking?",
     "A small network trained on an algorithmic task, such as (a + b) mod p, quickly memorises its training pairs, "
     "then sits on a plateau where its validation accuracy stays low, and only long after suddenly generalises; the "
     "standard setup needs weight decay for it."),
    ("List the differences between hyperfitting and grokking that the chapter puts numbers on.",
     "When the gain comes (hyperfitting improves greedy text while the training loss is still falling; grokking "
     "generalises long after training accuracy reached 100%); the validation loss (it rises steadily when "
     "hyperfitting, and falls when grokking generalises); weight decay (hyperfitting uses none, grokking needs it); the "
     "model (a large pre-trained language model against a small network trained from scratch); and the task "
     "(open-ended generation scored on the model's own output against one right answer per input)."),
    ("Why does the grokking run's validation accuracy sit near one half on its plateau, not at chance?",
     "(a + b) mod p does not depend on the order of a and b. With half of all pairs for training, about half of the "
     "validation pairs have their mirror (b, a) among the training pairs, and a model that memorised the table and "
     "learned that order does not matter answers exactly those."),
    ("Why does grokking need weight decay, and what does that say about hyperfitting?",
     "Once the training loss is near zero nothing in the loss prefers a generalising solution to the memorising one; "
     "weight decay does, because memorising needs large weights and the general circuit small ones, so the network "
     "drifts towards it and the accuracy jumps. Without weight decay the run stays on its plateau. Hyperfitting uses no "
     "weight decay at all, so whatever it does, it is not this."),
    ("What is double descent, and where does its peak sit?",
     "As a model grows, test error first falls, then rises to a peak where the model can just interpolate its noisy "
     "training data (here: as many random features as samples), then falls again. It is about model size against data "
     "size, whereas hyperfitting is about training one model far past zero training loss."),
    ("Grokking ends with a validation loss near zero; hyperfitting ends with one far above where it started. Why does that make it unlikely that hyperfitting is delayed generalisation?",
     "Grokking is generalisation in the ordinary sense: the held-out loss and accuracy both improve when it happens. "
     "Hyperfitting makes the held-out loss worse while the greedy output improves, so its gain is not a better "
     "prediction of held-out text but a different choice of top tokens (Chapter 3's top-rank encouragement)."),
],

'70_preference': [
    ("Why does the paper compare each system with the human continuation rather than with the other systems?",
     "The human continuation of the same context is a fixed reference that every system faces, so each system gets a "
     "number on one scale: the share of judgments in which its text was at least as good as a person's. Systems are then "
     "compared through that shared reference; two systems can also be compared directly on the contexts both were judged "
     "on (the paired test of this chapter)."),
    ("Ties count for the system in '% better or equal'. What would a system score if annotators could not tell its text from the human one?",
     "Above 50%: every 'equal' counts for the system, and an annotator who cannot tell the texts apart picks 'equal' or "
     "either side about as often. A system that is never judged worse would score 100%. So the measure is a comparison "
     "with human text, not a share of wins."),
    ("Why must the annotator not know which continuation is the model's, and how does the task hide it?",
     "Knowing which text a model wrote invites a judgment of models rather than of texts. The task shuffles the items in a "
     "seeded order, puts the model's text on side A or B at random, shows no system names, and keeps the key (which side "
     "is which system) in a separate file that annotators never receive."),
    ("The paper reports no inter-annotator agreement. What would Fleiss' kappa near 0 say about a study's percentages?",
     "That annotators agree about as often as chance would make them: each pair's verdict depends more on who judged it "
     "than on the texts. The percentages are still averages of real judgments, but a single pair's majority means little, "
     "and a difference between systems needs many more contexts to stand out."),
    ("A pairwise LLM judge is asked both orders, the system's text as A and then as B. Why, and what does a judge that always answers 'A' score?",
     "Language models prefer one position whatever the texts say (position bias). Asking both orders cancels a fixed bias "
     "when the two answers are read together. A judge that always answers 'A' prefers the system in one order and the human "
     "text in the other: read order by order it gives every system 50%, and its two orders never agree, so its "
     "self-consistency is 0. It has measured nothing about the texts."),
    ("MAUVE compares the spread of a system's texts with the spread of the human texts. Why can a high MAUVE coexist with bad individual texts?",
     "MAUVE compares two distributions of text features, not texts one by one. A system whose texts cover the same regions "
     "of feature space as the human ones scores high even if each text has flaws that the features do not capture; with "
     "few texts and a small feature model it is also noisy. It is a proxy for how human-like the set is, not a judgment "
     "of any single continuation, and the paper does not use it."),
],
}
