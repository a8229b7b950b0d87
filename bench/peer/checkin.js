// bench/peer/checkin.js - the weekly check-in of flows/checkin.weekly.json
// written as a grammY bot with the conversations plugin, for bench/peer.sh.
// It asks the same questions with the same inline keyboards and makes the
// same Bot API calls per conversation as bimbing (answer every callback
// query, mark the answered question by editing its keyboard), so the fake's
// simulated people drive both alike. Answers are kept in memory only (a Map);
// bimbing commits every step to SQLite.
//   node checkin.js API_ROOT [start|runner]
// start: bot.start(), grammY's built-in long polling (one update at a time);
// runner: @grammyjs/runner's run() with sequentialize() per chat, which
// grammY's scaling docs recommend for load.
"use strict";
const { Bot, InlineKeyboard } = require("grammy");
const { conversations, createConversation } = require("@grammyjs/conversations");

const apiRoot = process.argv[2];
const mode = process.argv[3] || "start";
if (!apiRoot || (mode !== "start" && mode !== "runner")) {
    console.error("usage: node checkin.js API_ROOT [start|runner]");
    process.exit(2);
}
const token = process.env.BOT_TOKEN || "123456:TEST";
const saved = new Map(); // chat id -> the last check-in's answers

const moodKeyboard = new InlineKeyboard()
    .text("1 Berat", "q1.1").text("2 Kurang", "q1.2").row()
    .text("3 Biasa", "q1.3").text("4 Baik", "q1.4").row()
    .text("5 Hebat", "q1.5");
const helpKeyboard = new InlineKeyboard().text("Ya", "q4.yes").text("Tidak", "q4.no");

// the answered question keeps one button showing the answer, as bimbing does
function mark(ctx, messageId, label, step) {
    return ctx.api.editMessageReplyMarkup(ctx.chat.id, messageId, {
        reply_markup: new InlineKeyboard().text("✓ " + label, "done." + step),
    });
}

async function askText(conversation, ctx, question, step) {
    const asked = await ctx.reply(question);
    const answer = await conversation.waitFor("message:text", {
        otherwise: (c) => c.reply("Jawab dengan teks, ya."),
    });
    await mark(answer, asked.message_id, answer.message.text.slice(0, 60), step);
    return answer.message.text;
}

async function checkin(conversation, ctx) {
    const name = ctx.from.first_name;
    const asked = await ctx.reply(`Halo, ${name}! Bagaimana minggu Anda?`, { reply_markup: moodKeyboard });
    const press = await conversation.waitForCallbackQuery(/^q1\.[1-5]$/, {
        otherwise: (c) => c.reply("Pilih angka 1 sampai 5, ya."),
    });
    const mood = Number(press.callbackQuery.data.slice(3));
    await press.answerCallbackQuery();
    await mark(press, asked.message_id, moodKeyboard.inline_keyboard.flat()[mood - 1].text, "q1");
    let hard = null;
    if (mood <= 2) {
        await ctx.reply("Terima kasih atas keterbukaan Anda. Minggu yang berat itu wajar, dan Anda tidak sendirian.");
        hard = await askText(conversation, ctx,
            "Mau cerita sedikit apa yang paling terasa berat? (boleh lewati dengan mengetik -)", "q1b");
    }
    const win = await askText(conversation, ctx, "Satu hal yang berhasil minggu ini?", "q2");
    const blocker = await askText(conversation, ctx, "Apakah ada hambatan yang sedang Anda hadapi?", "q3");
    const askedHelp = await ctx.reply("Mau dibantu mentormu soal ini?", { reply_markup: helpKeyboard });
    const yn = await conversation.waitForCallbackQuery(["q4.yes", "q4.no"], {
        otherwise: (c) => c.reply("Pilih Ya atau Tidak, ya."),
    });
    const wantsHelp = yn.callbackQuery.data === "q4.yes";
    await yn.answerCallbackQuery();
    await mark(yn, askedHelp.message_id, wantsHelp ? "Ya" : "Tidak", "q4");
    if (wantsHelp) await ctx.reply("Baik, mentormu akan saya kabari.");
    await conversation.external(() => saved.set(ctx.chat.id, { mood, hard, win, blocker, wantsHelp }));
    await ctx.reply(`Check-in Anda sudah saya catat. Terima kasih, ${name}, sampai minggu depan!`);
}

const bot = new Bot(token, { client: { apiRoot } });
let runner = null;
if (mode === "runner") {
    runner = require("@grammyjs/runner");
    bot.use(runner.sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? "")));
}
bot.use(conversations());
bot.use(createConversation(checkin));
bot.command("checkin", (ctx) => ctx.conversation.enter("checkin"));
bot.catch((err) => console.error("update failed:", err.error));

function stop() {
    console.error(`saved ${saved.size} check-ins`);
    process.exit(0);
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

if (runner) runner.run(bot);
else bot.start();
